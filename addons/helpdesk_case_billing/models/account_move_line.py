# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .helpdesk_ticket import BILLING_GROUP, check_case_link_write
from .uom_uom import allow_case_billing_units


class AccountMoveLine(models.Model):
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

    @api.model_create_multi
    def create(self, vals_list):
        check_case_link_write(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_case_link_write(self, [vals])
        return super().write(vals)

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
            "move_reverse_cancel" in self.env.context
            or self.env.su
            or self.env.user.has_group(BILLING_GROUP)
        ):
            values["helpdesk_ticket_id"] = ticket.id

    @api.depends("product_uom_id")
    def _compute_allowed_uom_ids(self):
        super()._compute_allowed_uom_ids()
        allow_case_billing_units(self)
