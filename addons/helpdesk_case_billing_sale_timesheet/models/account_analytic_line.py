# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    @api.depends("ticket_id.sale_line_id", "case_billable")
    def _compute_so_line(self):
        # The billable time of a case linked to a sales order item is
        # delivered on that item, time marked not billable on none; lines
        # already invoiced stay where they were billed.
        from_ticket = self.filtered(
            lambda line: line.ticket_id.sale_line_id and line._is_not_billed()
        )
        for line in from_ticket:
            line.so_line = line.ticket_id.sale_line_id if line.case_billable else False
        return super(AccountAnalyticLine, self - from_ticket)._compute_so_line()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced_through_order(self):
        # Time invoiced through a sales order, on a draft invoice too.
        invoiced = self.sudo().filtered(
            lambda line: line.ticket_id and not line._is_not_billed()
        )
        if invoiced:
            line = invoiced[0]
            raise UserError(
                self.env._(
                    "This time of case %(case)s is invoiced on %(invoice)s: it cannot be "
                    "deleted. Cancel or credit the invoice first.",
                    case=line.ticket_id.number,
                    invoice=line.timesheet_invoice_id.display_name,
                )
            )
