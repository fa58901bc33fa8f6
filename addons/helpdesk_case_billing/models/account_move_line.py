# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .case_linked_line import CaseLinkedLine
from .helpdesk_ticket import bills_cases


class AccountMoveLine(CaseLinkedLine, models.Model):
    _inherit = "account.move.line"

    helpdesk_ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Helpdesk case",
        index="btree_not_null",
        copy=False,
        ondelete="restrict",
        check_company=True,
        help="The helpdesk case this line bills.",
    )

    @api.constrains("helpdesk_ticket_id")
    def _check_helpdesk_ticket_billed_once(self):
        self.helpdesk_ticket_id._check_billed_once()

    def _copy_data_extend_business_fields(self, values):
        # A credit note credits the cases of the lines it reverses; "reverse
        # and create a new draft" bills them again on the new draft, when the
        # user may bill (otherwise the cases are simply free again).
        super()._copy_data_extend_business_fields(values)
        ticket = self.helpdesk_ticket_id
        if ticket and (
            "move_reverse_cancel" in self.env.context or bills_cases(self.env)
        ):
            values["helpdesk_ticket_id"] = ticket.id
