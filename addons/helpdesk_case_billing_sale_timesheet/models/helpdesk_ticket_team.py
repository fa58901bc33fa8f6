# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    case_billing_sale_order = fields.Boolean(
        tracking=True,
        string="Bill on sales orders",
        help="Cases can be linked to a sales order item (prepaid or post-paid hours): "
        "their time is then billed through that order, never as a case.",
    )
    case_billing_remaining_threshold = fields.Integer(
        tracking=True,
        string="Low remaining hours (%)",
        default=10,
        help="The remaining hours of a prepaid sales order item turn orange at or "
        "under this share of the hours sold (0 to 100).",
    )

    @api.constrains("case_billing_remaining_threshold")
    def _check_case_billing_remaining_threshold(self):
        for team in self:
            if not 0 <= team.case_billing_remaining_threshold <= 100:
                raise ValidationError(
                    self.env._(
                        "The low remaining hours threshold of team %(team)s is a "
                        "percentage between 0 and 100, not %(value)s.",
                        team=team.name,
                        value=team.case_billing_remaining_threshold,
                    )
                )
