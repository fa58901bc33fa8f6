# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api

from .helpdesk_ticket import check_case_link_write
from .uom_uom import allow_case_billing_units


class CaseLinkedLine:
    """What the line models that link to a helpdesk case share: invoice lines
    here, quotation lines in the quotations module.

    A base class put before ``models.Model`` in the bases of the model's
    extension, so that its methods override the model's and call them with
    ``super()``: the case link is set only by the billing paths, and the
    line's billing unit stays a unit the line may use.
    """

    # Odoo's records have no instance dictionary: neither may a base of them.
    __slots__ = ()

    @api.model_create_multi
    def create(self, vals_list):
        check_case_link_write(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_case_link_write(self, [vals])
        return super().write(vals)

    @api.depends("product_uom_id")
    def _compute_allowed_uom_ids(self):
        super()._compute_allowed_uom_ids()
        allow_case_billing_units(self)
