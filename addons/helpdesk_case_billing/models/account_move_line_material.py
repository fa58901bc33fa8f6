# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .helpdesk_ticket import check_case_link_write


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    helpdesk_material_id = fields.Many2one(
        comodel_name="helpdesk.ticket.material",
        string="Helpdesk case material",
        index="btree_not_null",
        copy=False,
        ondelete="set null",
        help="The material of a helpdesk case this line bills, with the case.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # Like the case: set only by the billing paths.
        check_case_link_write(self, vals_list, "helpdesk_material_id")
        return super().create(vals_list)

    def write(self, vals):
        check_case_link_write(self, [vals], "helpdesk_material_id")
        return super().write(vals)

    def _copy_data_extend_business_fields(self, values):
        # A credit note (or the new draft of "reverse and create") of a
        # material line keeps its material along with its case.
        super()._copy_data_extend_business_fields(values)
        if self.helpdesk_material_id and values.get("helpdesk_ticket_id"):
            values["helpdesk_material_id"] = self.helpdesk_material_id.id
