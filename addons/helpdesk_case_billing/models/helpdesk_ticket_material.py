# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HelpdeskTicketMaterial(models.Model):
    """A product used on a case (a spare part, a licence): billed with the
    case, on the same invoice, at the customer's price."""

    _name = "helpdesk.ticket.material"
    _description = "Material used on a helpdesk case"
    _order = "ticket_id, sequence, id"
    _check_company_auto = True

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Case",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        related="ticket_id.company_id", store=True, string="Company", index=True
    )
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Product",
        required=True,
        check_company=True,
        domain=[("sale_ok", "=", True)],
        ondelete="restrict",
    )
    name = fields.Char(
        string="Description",
        help="What the invoice line says under the product's name, before the case.",
    )
    quantity = fields.Float(string="Quantity", default=1.0, digits="Product Unit", required=True)
    allowed_uom_ids = fields.Many2many(
        comodel_name="uom.uom", compute="_compute_allowed_uom_ids", string="Allowed units"
    )
    product_uom_id = fields.Many2one(
        comodel_name="uom.uom",
        string="Unit",
        compute="_compute_product_uom_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        domain="[('id', 'in', allowed_uom_ids)]",
        ondelete="restrict",
    )
    _quantity_positive = models.Constraint(
        "CHECK (quantity >= 0)", "The quantity of a material cannot be negative."
    )

    @api.depends("product_id")
    def _compute_allowed_uom_ids(self):
        for material in self:
            product = material.product_id
            material.allowed_uom_ids = product.uom_id | product.uom_ids

    @api.depends("product_id")
    def _compute_product_uom_id(self):
        for material in self:
            if material.product_uom_id not in material.product_id.uom_id | material.product_id.uom_ids:
                material.product_uom_id = material.product_id.uom_id

    @api.model_create_multi
    def create(self, vals_list):
        self.env["helpdesk.ticket"].browse(
            {vals["ticket_id"] for vals in vals_list if vals.get("ticket_id")}
        )._check_materials_unlocked()
        return super().create(vals_list)

    def write(self, vals):
        tickets = self.ticket_id
        if vals.get("ticket_id"):
            tickets |= self.env["helpdesk.ticket"].browse(vals["ticket_id"])
        tickets._check_materials_unlocked()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced_ticket(self):
        self.ticket_id._check_materials_unlocked()

    def _get_invoice_label(self, lang=None):
        """The material's line, described as Odoo describes a product's line:
        the product's name in ``lang`` first, then the description written on
        the material, then the case ("Toner cartridge", "HT00042 - Printer
        down"), one per line. Odoo's line widget shows the product, then the
        rest; the PDF prints it all."""
        self.ensure_one()
        ticket = self.ticket_id
        parts = [
            self.product_id.with_context(lang=lang).display_name,
            self.name,
            f"{ticket.number} - {ticket.name}",
        ]
        return "\n".join(part for part in parts if part)
