# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class HelpdeskTicket(models.Model):
    """A quoted case quotes its materials too: one order line per material,
    priced by the order's pricelist as Odoo prices any order line."""

    _inherit = "helpdesk.ticket"

    def _prepare_material_quotation_line_vals(self, lang):
        """Values of the quotation lines of the case's materials: product,
        quantity and unit, described as on an invoice (the product, then the
        case)."""
        self.ensure_one()
        # sudo: the case quotes every material, whatever the user may read.
        return [
            {
                "product_id": material.product_id.id,
                "product_uom_id": material.product_uom_id.id,
                "product_uom_qty": material.quantity,
                "name": material._get_invoice_label(lang),
                "helpdesk_ticket_id": self.id,
                "helpdesk_material_id": material.id,
            }
            for material in self.sudo().material_ids
            if material.quantity
        ]
