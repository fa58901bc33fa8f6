# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HelpdeskTicketApprovalOverride(models.TransientModel):
    """Invoice anyway: bill a case whose customer has not answered the
    approval request, for a reason the chatter keeps."""

    _name = "helpdesk.ticket.approval.override"
    _description = "Bill a case without the customer's answer"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Case",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    approval_id = fields.Many2one(
        comodel_name="helpdesk.ticket.approval",
        string="Approval request",
        compute="_compute_approval_id",
    )
    partner_id = fields.Many2one(related="approval_id.partner_id", string="Sent to")
    sent_date = fields.Datetime(related="approval_id.sent_date")
    total_hours = fields.Float(related="approval_id.total_hours")
    reason = fields.Text(
        required=True,
        help="Why the case is billed without the customer's answer; kept on the "
        "request and in the case's chatter.",
    )

    @api.depends("ticket_id")
    def _compute_approval_id(self):
        for wizard in self:
            ticket = wizard.ticket_id
            latest = ticket._get_latest_customer_approval() if ticket else ticket
            wizard.approval_id = latest if latest and latest.state == "sent" else False

    def action_confirm(self):
        self.ensure_one()
        # The case checks the right, the request and the reason.
        self.ticket_id._override_customer_approval(self.reason)
        return {"type": "ir.actions.act_window_close"}
