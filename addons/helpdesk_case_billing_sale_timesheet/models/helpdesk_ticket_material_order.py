# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from odoo.addons.helpdesk_case_billing.models.helpdesk_ticket import linking_cases


class HelpdeskTicket(models.Model):
    """The materials of a case billed through a sales order go on that order,
    one item each, so that the order's invoice bills them with the case's time."""

    _inherit = "helpdesk.ticket"

    def _sync_material_sale_lines(self):
        """Give each material of the cases an item on the case's sales order,
        with the material's product, quantity, unit and label, delivered;
        withdraw the items of materials whose case left that order. Items
        already invoiced keep what they billed."""
        # sudo: agents record materials without the right to edit sales orders.
        # The items are linked by the sync only (see check_case_link_write).
        with linking_cases():
            for ticket in self.sudo():
                order = ticket.sale_line_id.order_id
                if order and order.state != "sale":
                    # A cancelled order takes nothing more; its items stay as they are.
                    continue
                for material in ticket.material_ids:
                    material._sync_sale_line(order)

    @api.depends(
        "material_ids.sale_line_id.price_subtotal",
        "material_ids.sale_line_id.qty_invoiced",
        "material_ids.sale_line_id.order_id.currency_id",
    )
    def _compute_billing_amount_unbilled(self):
        return super()._compute_billing_amount_unbilled()

    def _get_billing_unbilled_amount(self):
        amount = super()._get_billing_unbilled_amount()
        if self.invoice_id or not self.sale_line_id:
            return amount
        return amount + self._get_material_order_unbilled_amount()

    def _get_material_order_unbilled_amount(self):
        """What the order will still invoice of the case's materials, at the
        order's prices, in the company's currency. A material is invoiced
        whole, on a draft invoice too, as the case's time is."""
        return sum(
            self._to_company_currency(
                material.sale_line_id.price_subtotal, material.sale_line_id.order_id.currency_id
            )
            for material in self.sudo().material_ids
            if material.sale_line_id and not material._is_invoiced_on_order()
        )
