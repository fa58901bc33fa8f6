# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskCaseBillingRunSkip(models.Model):
    """A case of a billing run's selection that the run does not bill, and why."""

    _name = "helpdesk.case.billing.run.skip"
    _description = "Billing run: case left out"
    _order = "run_id, id"

    run_id = fields.Many2one(
        "helpdesk.case.billing.run", string="Billing run", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="run_id.company_id", store=True)
    ticket_id = fields.Many2one(
        "helpdesk.ticket", string="Case", required=True, readonly=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(related="ticket_id.commercial_partner_id", string="Customer")
    reason = fields.Text(string="Reason", required=True, readonly=True)
    during_run = fields.Boolean(
        string="Left out by the run",
        readonly=True,
        help="Billable at the preview, refused when the run came to it.",
    )
