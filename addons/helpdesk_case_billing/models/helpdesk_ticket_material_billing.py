# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class HelpdeskTicket(models.Model):
    """Materials used on a case: recorded on the case, billed with it on the
    same invoice at the customer's price, counted in its estimate and its
    unbilled amount, locked with it."""

    _inherit = "helpdesk.ticket"

    material_ids = fields.One2many(
        comodel_name="helpdesk.ticket.material",
        inverse_name="ticket_id",
        string="Materials",
        copy=False,
        help="Products used on the case (spare parts, licences), billed with it.",
    )

    @api.depends(
        "material_ids.product_id",
        "material_ids.quantity",
        "material_ids.product_uom_id",
        "material_ids.product_id.lst_price",
    )
    def _compute_billing_quantities(self):
        super()._compute_billing_quantities()
        move = self._get_billing_context_invoice()
        terms = move and self._get_billing_price_terms(move)
        prices = {}
        for ticket in self:
            ticket.billing_amount_estimate += ticket._get_material_amount_estimate(
                terms or ticket._get_billing_price_terms(), prices
            )

    def _get_material_amount_estimate(self, terms, prices=None):
        """The untaxed amount of the case's material lines for ``terms``: each
        material's quantity at its price, rounded once per line as on the
        invoice, in the terms' currency."""
        self.ensure_one()
        # sudo: the case bills every material, whatever the user may read.
        return sum(
            self._get_billing_list_amount(
                material.product_id, material.quantity, material.product_uom_id, terms, prices
            )
            for material in self.sudo().material_ids
        )

    def _add_material_invoice_line_vals(self, move, vals_list):
        """``vals_list`` (the values of the cases' own lines on ``move``) with
        the lines of their materials, each case's lines together."""
        order = {ticket_id: index for index, ticket_id in enumerate(self.ids)}
        return sorted(
            vals_list + self._prepare_material_invoice_line_vals(move),
            key=lambda vals: order.get(vals.get("helpdesk_ticket_id"), len(order)),
        )

    def _prepare_material_invoice_line_vals(self, move):
        """Values of one invoice line per material of the cases on ``move``:
        the material's product, quantity and unit, labelled with the case's
        number, at the price of the case's one price rule
        (``_get_billing_price_unit``): a unit price only when a rule of the
        customer's pricelist applies, else Odoo's invoice line takes the
        product's sales price itself."""
        lang = move.partner_id.lang or self.env.lang
        terms = self._get_billing_price_terms(move)
        prices = {}
        vals_list = []
        for material in self.sudo().material_ids:
            product, quantity, uom = material.product_id, material.quantity, material.product_uom_id
            if not quantity:
                continue
            vals = material.ticket_id._prepare_case_line_vals(
                move, product, quantity, uom, material._get_invoice_label(lang), terms, prices
            )
            vals_list.append({**vals, "helpdesk_material_id": material.id})
        return vals_list

    def _check_materials_unlocked(self):
        """The materials of an invoiced case are what the customer was billed for."""
        locked = self.sudo().filtered("invoice_id")
        if locked:
            ticket = locked[0]
            raise UserError(
                self.env._(
                    "Case %(case)s is invoiced on %(invoice)s: its materials cannot be "
                    "added, changed or removed any more. Cancel or credit the invoice, "
                    "or remove the case's lines from it, first.",
                    case=ticket.number,
                    invoice=ticket.invoice_id.sudo().display_name,
                )
            )
