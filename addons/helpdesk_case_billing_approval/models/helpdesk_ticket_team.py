# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    case_billing_approval_required = fields.Boolean(
        tracking=True,
        string="Customer approval required",
        help="The customer approves the time of each case on the portal before "
        "the case can be billed.",
    )

    @api.depends("case_billing_approval_required")
    def _compute_case_billing_preview(self):
        # Switching approval on: the billable cases without the customer's
        # approval wait for it.
        return super()._compute_case_billing_preview()
