# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import format_date


class HelpdeskTicketApprovalRequest(models.TransientModel):
    """Request customer approval: whom the request goes to and what they are
    asked to approve, before it leaves; a warning when nothing changed since
    the customer rejected the time."""

    _name = "helpdesk.ticket.approval.request"
    _description = "Confirm a customer approval request"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Case",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(related="ticket_id.partner_id", string="Customer contact")
    billing_summary = fields.Char(string="To approve", compute="_compute_request")
    question = fields.Char(string="Question", compute="_compute_request")
    after_review = fields.Boolean(string="Reviewed before sending", compute="_compute_request")
    replaced_approval_id = fields.Many2one(
        comodel_name="helpdesk.ticket.approval",
        string="Replaces",
        compute="_compute_request",
    )
    unchanged_warning = fields.Char(string="Nothing changed", compute="_compute_request")
    rejection_comment = fields.Text(string="Customer comment", compute="_compute_request")

    @api.depends("ticket_id")
    def _compute_request(self):
        Approval = self.env["helpdesk.ticket.approval"]
        for wizard in self:
            ticket = wizard.ticket_id
            wizard.update(
                {
                    "billing_summary": False,
                    "question": False,
                    "after_review": False,
                    "replaced_approval_id": False,
                    "unchanged_warning": False,
                    "rejection_comment": False,
                }
            )
            if not ticket:
                continue
            case = ticket.sudo()
            lines = case._get_time_to_approve().sorted("id")
            figures = Approval._format_approval_figures(case, Approval._line_work_minutes(lines))
            wizard.billing_summary = figures["summary"]
            wizard.after_review = case.company_id.case_billing_approval_trigger == "after_review"
            contact = case.partner_id
            question = (
                self.env._(
                    "Ask %(contact)s to approve: %(figures)s? The request waits for an "
                    "internal review of the time before it is sent.",
                    contact=contact.display_name,
                    figures=figures["summary"],
                )
                if wizard.after_review
                else self.env._(
                    "Send %(contact)s (%(email)s) the request to approve: %(figures)s?",
                    contact=contact.display_name,
                    email=contact.email or "-",
                    figures=figures["summary"],
                )
            )
            wizard.question = question
            wizard.replaced_approval_id = case.customer_approval_ids.filtered(
                lambda a: a.state in ("draft", "sent")
            )[:1]
            rejected = ticket._get_unchanged_customer_rejection()
            if rejected:
                rejected = rejected.sudo()
                answered_on = fields.Datetime.context_timestamp(wizard, rejected.decision_date)
                wizard.unchanged_warning = self.env._(
                    "Nothing changed since %(customer)s rejected the time on %(date)s: "
                    "send again anyway?",
                    customer=(rejected.decided_by_partner_id or rejected.partner_id).display_name,
                    date=format_date(self.env, answered_on.date()),
                )
                wizard.rejection_comment = rejected.comment

    def action_confirm(self):
        self.ensure_one()
        # The case checks the right and the rules, as when closing it.
        self.ticket_id._action_send_customer_approval_request()
        return {"type": "ir.actions.act_window_close"}
