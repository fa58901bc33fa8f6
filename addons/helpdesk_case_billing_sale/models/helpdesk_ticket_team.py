# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    case_billing_quotation_product_id = fields.Many2one(
        tracking=True,
        comodel_name="product.product",
        string="Quotation product",
        domain="[('type', '=', 'service'), ('sale_ok', '=', True), "
        "('company_id', 'in', [False, company_id or allowed_company_ids[0]])]",
        help="Service product of the quotation lines created from the team's cases; "
        "the billing product when empty.",
    )
    def _get_case_billing_quotation_product(self):
        self.ensure_one()
        return self.case_billing_quotation_product_id or self.case_billing_product_id

    @api.constrains(
        "case_billing_quotation_product_id", "case_billing_product_id", "case_billing_mode"
    )
    def _check_case_billing_quotation_product(self):
        for team in self:
            product = team.case_billing_quotation_product_id
            if not product:
                continue
            fault = team._get_case_billing_product_fault(product)
            if fault == "service":
                raise ValidationError(
                    self.env._(
                        "The quotation product of team %(team)s must be a service.",
                        team=team.name,
                    )
                )
            if fault == "time":
                raise ValidationError(
                    self.env._(
                        "Team %(team)s bills the time spent: the unit of its quotation "
                        "product %(product)s must be a unit of time such as Hours, "
                        "not %(uom)s.",
                        team=team.name,
                        product=product.display_name,
                        uom=product.uom_id.name,
                    )
                )
