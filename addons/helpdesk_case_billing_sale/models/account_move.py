# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.depends("line_ids.sale_line_ids.helpdesk_ticket_id")
    def _compute_helpdesk_ticket_ids(self):
        return super()._compute_helpdesk_ticket_ids()

    def _get_helpdesk_cases(self):
        # The cases invoiced through their quotation too.
        return super()._get_helpdesk_cases() | self.sudo().line_ids.sale_line_ids.helpdesk_ticket_id
