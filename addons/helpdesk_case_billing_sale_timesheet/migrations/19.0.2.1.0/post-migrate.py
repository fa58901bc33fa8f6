# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Materials of a case billed through a sales order are items of that order.
Those recorded before are put on their case's order now, as if recorded today;
materials already invoiced as a case stay where they were billed."""
import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cases = env["helpdesk.ticket"].search(
        [
            ("sale_line_id", "!=", False),
            ("invoice_id", "=", False),
            ("material_ids.sale_line_id", "=", False),
        ]
    )
    cases._sync_material_sale_lines()
    _logger.info("Materials of %s case(s) put on their sales orders", len(cases))
