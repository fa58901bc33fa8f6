# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    def write(self, vals):
        # Odoo refuses any write of the unit, even an unchanged one, once
        # posted lines use another unit of the product, as case lines in
        # billing units do: reloading the product's data (reinstalling the
        # addon) would fail. An unchanged unit is no change.
        if "uom_id" in vals and all(template.uom_id.id == vals["uom_id"] for template in self):
            vals = {key: value for key, value in vals.items() if key != "uom_id"}
        return super().write(vals)
