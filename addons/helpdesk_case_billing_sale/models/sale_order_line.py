# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.helpdesk_case_billing.models.helpdesk_ticket import check_case_link_write
from odoo.addons.helpdesk_case_billing.models.uom_uom import allow_case_billing_units


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    helpdesk_ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Quoted helpdesk case",
        index="btree_not_null",
        copy=False,
        ondelete="set null",
        help="The helpdesk case this quotation line was made from.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        check_case_link_write(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_case_link_write(self, [vals])
        return super().write(vals)

    @api.constrains("helpdesk_ticket_id")
    def _check_helpdesk_ticket_quoted_once(self):
        self.order_id._check_helpdesk_ticket_quote_conflicts()

    @api.depends("product_uom_id")
    def _compute_allowed_uom_ids(self):
        super()._compute_allowed_uom_ids()
        allow_case_billing_units(self)
