# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    case_billing_sold_hours = fields.Float(
        string="Hours sold",
        compute="_compute_case_billing_sold_hours",
        help="Ordered quantity in hours, for items sold in a unit of time.",
    )

    @api.depends("product_uom_qty", "product_uom_id")
    def _compute_case_billing_sold_hours(self):
        hour = self.env.ref("uom.product_uom_hour")
        for line in self:
            uom = line.product_uom_id
            if uom and hour._has_common_reference(uom):
                line.case_billing_sold_hours = uom._compute_quantity(
                    line.product_uom_qty, hour, round=False
                )
            else:
                line.case_billing_sold_hours = 0.0
