# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, tagged

from odoo.addons.helpdesk_case_billing.tests.test_translations import ModuleTranslationChecks


@tagged("post_install", "-at_install")
class TestSaleTranslations(ModuleTranslationChecks, TransactionCase):
    MODULE = "helpdesk_case_billing_sale"
    WEB_CLIENT_STRINGS = False
