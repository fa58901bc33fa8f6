# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    @api.model
    def default_get(self, fields):
        defaults = super().default_get(fields)
        # A billing product made from a team's form is sold by the hour: the
        # team refuses a product in Units, which would stay behind unused.
        if (
            self.env.context.get("case_billing_product")
            and "uom_id" in fields
            and not self.env.context.get("default_uom_id")
        ):
            defaults["uom_id"] = self.env.ref("uom.product_uom_hour").id
        return defaults

    def write(self, vals):
        # Odoo refuses any write of the unit, even an unchanged one, once
        # posted lines use another unit of the product, as case lines in
        # billing units do: reloading the product's data (reinstalling the
        # addon) would fail. An unchanged unit is no change.
        if "uom_id" in vals and all(template.uom_id.id == vals["uom_id"] for template in self):
            vals = {key: value for key, value in vals.items() if key != "uom_id"}
        return super().write(vals)
