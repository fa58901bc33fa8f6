# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import float_compare


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    case_billing_sold_hours = fields.Float(
        string="Hours sold",
        compute="_compute_case_billing_sold_hours",
        help="Ordered quantity in hours, for items sold in a unit of time.",
    )

    @api.depends("product_uom_qty", "product_uom_id")
    def _compute_case_billing_sold_hours(self):
        for line in self:
            uom = line.product_uom_id
            if uom._is_time_unit():
                line.case_billing_sold_hours = uom._quantity_to_hours(line.product_uom_qty)
            else:
                line.case_billing_sold_hours = 0.0

    def _case_material_deliver(self, quantity):
        # Materials are used on the case: delivered, unless a stock or
        # timesheet rule counts the delivery itself.
        for line in self.filtered(lambda line: line.qty_delivered_method == "manual"):
            if line.qty_delivered != quantity:
                line.qty_delivered = quantity

    def _is_case_material_invoiced(self):
        """Invoiced, on a draft invoice too, as Odoo counts an item's invoiced
        quantity: a credit note made from the order gives it back."""
        return any(
            float_compare(line.qty_invoiced, 0.0, precision_rounding=line.product_uom_id.rounding or 0.01)
            > 0
            for line in self
        )

    def _case_material_withdraw(self):
        """A confirmed order keeps its items: the item of a material no longer
        used on the order's case is left with nothing ordered or delivered,
        unless it is invoiced."""
        for line in self.filtered(lambda line: not line._is_case_material_invoiced()):
            line.write({"product_uom_qty": 0.0})
            line._case_material_deliver(0.0)
