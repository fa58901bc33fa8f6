# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL


class HelpdeskCaseBillingReport(models.Model):
    _inherit = "helpdesk.case.billing.report"
    _depends = {
        "sale.order.line": ["helpdesk_ticket_id", "helpdesk_material_id", "invoice_lines"]
    }

    billed_through = fields.Selection(
        selection_add=[("quotation", "Quotation of the case")],
        ondelete={"quotation": "cascade"},
    )

    def _query_case_lines(self):
        # Invoice lines made from a case's quotation, once each.
        return SQL(
            """%s
            UNION ALL
            (
                SELECT DISTINCT ON (rel.invoice_line_id)
                       rel.invoice_line_id, sol.helpdesk_ticket_id, 'quotation',
                       sol.helpdesk_material_id
                  FROM sale_order_line sol
                  JOIN sale_order_line_invoice_rel rel ON rel.order_line_id = sol.id
                  JOIN account_move_line inv_line ON inv_line.id = rel.invoice_line_id
                 WHERE sol.helpdesk_ticket_id IS NOT NULL
                   AND inv_line.helpdesk_ticket_id IS NULL
                 ORDER BY rel.invoice_line_id, sol.id
            )
            """,
            super()._query_case_lines(),
        )
