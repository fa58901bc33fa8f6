# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    case_billable = fields.Boolean(
        string="Billable on the case",
        compute="_compute_case_billable",
        store=True,
        readonly=False,
        precompute=True,
        help="The time goes on the quotations made from the helpdesk case; the "
        "default comes from the case's team.",
    )

    # Only the case: changing the team's default later must not rewrite the
    # choices already made on logged time.
    @api.depends("ticket_id")
    def _compute_case_billable(self):
        for line in self:
            team = line.ticket_id.team_id
            line.case_billable = team.case_billing_timesheet_billable_default if team else True
