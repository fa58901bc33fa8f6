# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.helpdesk_case_billing.models.helpdesk_ticket import check_case_link_write

# What a material's order item repeats of it.
SYNCED_FIELDS = {"ticket_id", "product_id", "name", "quantity", "product_uom_id"}


def _refuse_sale_line(env):
    # A client could point a material at any order's item, and withdraw it.
    return env._(
        "A material's sales order item is set from its case's order when the "
        "material is saved; it cannot be written directly."
    )


class HelpdeskTicketMaterial(models.Model):
    """A material of a case billed through a sales order is an item of that
    order: delivered with the case, priced by the order's pricelist and
    invoiced with the order's next invoice, as Odoo re-invoices expenses."""

    _inherit = "helpdesk.ticket.material"

    sale_line_id = fields.Many2one(
        comodel_name="sale.order.line",
        string="Sales order item",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The item of the case's sales order this material is billed on.",
    )
    sale_order_id = fields.Many2one(
        related="sale_line_id.order_id", string="On sales order"
    )
    sale_line_invoiced = fields.Boolean(
        string="Invoiced on the order",
        compute="_compute_sale_line_invoiced",
        help="The material's order item is invoiced, on a draft invoice too (a "
        "credit note made from the order gives it back): the material can no "
        "longer change.",
    )

    @api.depends("sale_line_id.qty_invoiced")
    def _compute_sale_line_invoiced(self):
        for material in self:
            material.sale_line_invoiced = material.sudo()._is_invoiced_on_order()

    def _is_invoiced_on_order(self):
        self.ensure_one()
        return self.sale_line_id._is_case_material_invoiced()

    @api.model_create_multi
    def create(self, vals_list):
        check_case_link_write(self, vals_list, "sale_line_id", _refuse_sale_line)
        materials = super().create(vals_list)
        materials.ticket_id._sync_material_sale_lines()
        return materials

    def write(self, vals):
        check_case_link_write(self, [vals], "sale_line_id", _refuse_sale_line)
        synced = SYNCED_FIELDS & vals.keys()
        if synced:
            self._check_not_invoiced_on_order()
        tickets = self.ticket_id
        result = super().write(vals)
        if synced:
            (tickets | self.ticket_id)._sync_material_sale_lines()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced_on_order(self):
        self._check_not_invoiced_on_order()

    def unlink(self):
        lines = self.sudo().sale_line_id
        result = super().unlink()
        # A confirmed order keeps its items: nothing is left to deliver.
        lines._case_material_withdraw()
        return result

    def _check_not_invoiced_on_order(self):
        invoiced = self.sudo().filtered(lambda material: material._is_invoiced_on_order())
        if invoiced:
            material = invoiced[0]
            raise UserError(
                self.env._(
                    "The material %(material)s of case %(case)s is invoiced through "
                    "sales order %(order)s: it cannot be changed or removed any more. "
                    "Record what was used since as a new material.",
                    material=material.product_id.display_name,
                    case=material.ticket_id.number,
                    order=material.sale_line_id.order_id.name,
                )
            )

    def _sync_sale_line(self, order):
        """The material's item on ``order``, its case's sales order (or none):
        made, brought up to date and delivered, or withdrawn from the order
        the case left. An invoiced item keeps what it billed."""
        self.ensure_one()
        if self._is_invoiced_on_order():
            return
        line = self.sale_line_id
        if line and line.order_id != order:
            line._case_material_withdraw()
            self.sale_line_id = line = line.browse()
        if not order or (not line and not self.quantity):
            return
        vals = self._prepare_sale_line_vals()
        if line:
            changed = {
                name: value
                for name, value in vals.items()
                if line._fields[name].convert_to_write(line[name], line) != value
            }
            if changed:
                line.write(changed)
        else:
            sequence = self.ticket_id.sale_line_id.sequence + 1
            line = line.create({**vals, "order_id": order.id, "sequence": sequence})
            self.sale_line_id = line
        line._case_material_deliver(self.quantity)

    def _prepare_sale_line_vals(self):
        """The order item of the material, described as its invoice line."""
        self.ensure_one()
        lang = self.ticket_id.sale_line_id.order_id.partner_id.lang or self.env.lang
        return {
            "product_id": self.product_id.id,
            "product_uom_id": self.product_uom_id.id,
            "product_uom_qty": self.quantity,
            "name": self._get_invoice_label(lang),
        }
