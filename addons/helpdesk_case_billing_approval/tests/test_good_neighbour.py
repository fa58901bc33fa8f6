# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, tagged

from odoo.addons.helpdesk_case_billing.tests.test_good_neighbour import NeighbourMixin


@tagged("post_install", "-at_install")
class TestApprovalGoodNeighbour(NeighbourMixin, TransactionCase):
    """The approval settings added to companies accept NULL."""

    def test_a_company_created_without_the_addon_loaded(self):
        self.assertIn(("res.company", "case_billing_approval_trigger"), self.added)
        company = self._insert_without_our_columns(
            "res.company", self.env.company, {"name": "Neighbour company"}
        )
        self.assertEqual(company.name, "Neighbour company")
        self.assertFalse(company.case_billing_approval_trigger)
