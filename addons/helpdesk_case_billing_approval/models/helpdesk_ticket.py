# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

from odoo.addons.helpdesk_case_billing.models.helpdesk_ticket import (
    bills_cases,
    check_record_ids,
)

from .helpdesk_ticket_approval import COVERING_STATES

# Context key: the minutes of the time lines the billing rule counts instead
# of the case's own (the lines of an approval request).
LINE_MINUTES_KEY = "case_approval_line_minutes"

APPROVAL_STATE_OF_REQUEST = {
    "draft": "review",
    "sent": "waiting",
    "rejected": "rejected",
    "expired": "expired",
}


class HelpdeskTicket(models.Model):
    """Customer approval of the time of a case before it is billed."""

    _inherit = "helpdesk.ticket"

    customer_approval_required = fields.Boolean(
        related="team_id.case_billing_approval_required",
        string="Customer approval required",
    )
    customer_approval_ids = fields.One2many(
        comodel_name="helpdesk.ticket.approval",
        inverse_name="ticket_id",
        string="Customer approvals",
        copy=False,
    )
    customer_approval_count = fields.Integer(
        string="Approval requests", compute="_compute_customer_approval_count"
    )
    customer_approval_state = fields.Selection(
        selection=[
            ("none", "Not requested"),
            ("review", "Time to review"),
            ("waiting", "Awaiting customer approval"),
            ("approved", "Approved by the customer"),
            ("rejected", "Rejected by the customer"),
            ("expired", "Request expired"),
            ("changed", "Time logged after the approval"),
            ("overridden", "Billed without the customer's answer"),
        ],
        string="Customer approval",
        compute="_compute_customer_approval_state",
        store=True,
        index=True,
        help="Where the customer's approval of the case's time stands, after its "
        "latest request.",
    )
    billing_block_reason = fields.Selection(
        selection_add=[
            ("rejected", "Rejected by the customer"),
            ("awaiting_approval", "Awaiting customer approval"),
            ("no_customer",),
        ],
        ondelete={"rejected": "set null", "awaiting_approval": "set null"},
    )

    @api.depends("customer_approval_ids")
    def _compute_customer_approval_count(self):
        for ticket in self:
            ticket.customer_approval_count = len(ticket.customer_approval_ids)

    @api.depends(
        "customer_approval_ids.state",
        "customer_approval_ids.timesheet_ids",
        "timesheet_ids",
        "timesheet_ids.case_billable",
    )
    def _compute_customer_approval_state(self):
        for ticket in self:
            latest = ticket._get_latest_customer_approval()
            if not latest:
                ticket.customer_approval_state = "none"
            elif latest.state in COVERING_STATES:
                pending = ticket._get_time_to_approve()
                ticket.customer_approval_state = "changed" if pending else latest.state
            else:
                ticket.customer_approval_state = APPROVAL_STATE_OF_REQUEST[latest.state]

    def _get_latest_customer_approval(self):
        self.ensure_one()
        approvals = self.customer_approval_ids
        return max(
            approvals, key=lambda a: a.id if isinstance(a.id, int) else 0, default=approvals
        )

    def _get_time_to_approve(self):
        """Time lines of the case no approved (or overridden) request covers."""
        self.ensure_one()
        approved = self.customer_approval_ids.filtered(lambda a: a.state in COVERING_STATES)
        # Time marked not billable is never billed: nothing to approve.
        return self.timesheet_ids.filtered("case_billable") - approved.timesheet_ids

    # ------------------------------------------------------------------
    # Billing rules
    # ------------------------------------------------------------------

    @api.depends(
        "team_id.case_billing_approval_required",
        "customer_approval_state",
        "customer_approval_ids.comment",
    )
    def _compute_billing_blockers(self):
        return super()._compute_billing_blockers()

    def _get_billing_blockers(self):
        blockers = super()._get_billing_blockers()
        return self._add_billing_blockers(
            blockers, lambda ticket: ticket._get_customer_approval_blockers()
        )

    def _get_customer_approval_blockers(self):
        self.ensure_one()
        _ = self.env._
        team = self._get_billing_team()
        if not (team.case_billing_enabled and team.case_billing_approval_required):
            return []
        state = self.customer_approval_state
        # Billed without the customer's answer: see _override_customer_approval.
        if state in ("approved", "overridden"):
            return []
        if state == "rejected":
            return [
                (
                    "rejected",
                    _(
                        "Rejected by customer: %(comment)s",
                        comment=self._get_latest_customer_approval().comment or "",
                    ),
                )
            ]
        reasons = {
            "waiting": _("Awaiting customer approval."),
            "review": _(
                "Awaiting customer approval: the time is reviewed internally before "
                "the request is sent."
            ),
            "expired": _("Customer approval required: the last request expired unanswered."),
            "changed": _("Customer approval required: time was logged after the approval."),
        }
        return [("awaiting_approval", reasons.get(state) or _("Customer approval required."))]

    @api.model
    def _get_billable_domain(self):
        return super()._get_billable_domain() & (
            Domain("team_id.case_billing_approval_required", "=", False)
            | Domain("customer_approval_state", "in", ("approved", "overridden"))
        )

    # ------------------------------------------------------------------
    # Requests
    # ------------------------------------------------------------------

    def _request_customer_approval(self, manual=False):
        """Create (and send, or queue for review) the approval requests.

        :param manual: asked with the button: problems are errors, and an open
            request is replaced (the team corrected the time). On closing,
            cases with nothing to ask are skipped silently.
        """
        _ = self.env._
        Approval = self.env["helpdesk.ticket.approval"].sudo()
        created = Approval
        for ticket in self.sudo():
            error = ticket._get_customer_approval_request_error()
            if error:
                if manual:
                    raise UserError(error)
                continue
            approvals = ticket.customer_approval_ids
            lines = ticket._get_time_to_approve()
            open_approvals = approvals.filtered(lambda a: a.state in ("draft", "sent"))
            if open_approvals:
                if not manual:
                    continue
                drafts = open_approvals.filtered(lambda a: a.state == "draft")
                (open_approvals - drafts)._expire(replaced=True)
                drafts.unlink()
            created |= Approval.create(
                {
                    "ticket_id": ticket.id,
                    "partner_id": ticket.partner_id.id,
                    "timesheet_ids": [Command.set(lines.ids)],
                }
            )
        for approval in created:
            if approval.company_id.case_billing_approval_trigger == "after_review":
                approval._schedule_review()
            elif approval.partner_id.email or manual:
                approval._send_request()
            else:
                approval.ticket_id._message_log(
                    body=_(
                        "Customer approval request %(request)s was not sent: the "
                        "contact %(contact)s has no e-mail address. Add it and send "
                        "the request from the case.",
                        request=approval.name,
                        contact=approval.partner_id.display_name,
                    )
                )
        return created

    def _get_customer_approval_request_error(self):
        """Why no approval request can be made for the case now, or False."""
        self.ensure_one()
        _ = self.env._
        team = self.team_id
        if not (team.case_billing_enabled and team.case_billing_approval_required):
            return _(
                "Team %(team)s does not ask its customers to approve the time of its cases.",
                team=team.name or "-",
            )
        if not self.partner_id:
            return _("Case %(case)s has no customer to ask.", case=self.number)
        already_approved = any(a.state in COVERING_STATES for a in self.customer_approval_ids)
        # A flat-rate case may be approved without time logged.
        if not self._get_time_to_approve() and (
            already_approved or team.case_billing_mode != "fixed"
        ):
            return _("Case %(case)s has no time left to approve.", case=self.number)
        return False

    def action_request_customer_approval(self):
        """Request customer approval: first a confirmation saying whom the
        request goes to and what they are asked to approve."""
        check_record_ids(self)
        self.ensure_one()
        self.check_access("write")
        error = self.sudo()._get_customer_approval_request_error()
        if error:
            raise UserError(error)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request customer approval"),
            "res_model": "helpdesk.ticket.approval.request",
            "views": [(False, "form")],
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def _action_send_customer_approval_request(self):
        """The confirmed request: create it and send it (or queue it for the
        internal review), replacing the one still open."""
        self.check_access("write")
        return self._request_customer_approval(manual=True)

    def _get_unchanged_customer_rejection(self):
        """The case's latest request if the customer rejected it and the time
        to approve is still the same lines with the same minutes as when they
        answered; an empty recordset otherwise."""
        self.ensure_one()
        latest = self.sudo()._get_latest_customer_approval()
        if not latest or latest.state != "rejected":
            return self.env["helpdesk.ticket.approval"]
        lines = self.sudo()._get_time_to_approve()
        answered = latest.decision_line_minutes
        if answered:
            unchanged = latest._line_minutes_json(lines) == answered
        else:
            # Answered before the time lines were recorded with the answer:
            # the same lines, none written since the answer.
            answered_on = latest.decision_date
            unchanged = lines == latest.timesheet_ids and not any(
                answered_on and line.write_date > answered_on for line in lines
            )
        return latest.with_env(self.env) if unchanged else self.env["helpdesk.ticket.approval"]

    # ------------------------------------------------------------------
    # Figures of time lines that are not the case's own: those of a request
    # ------------------------------------------------------------------

    def _get_billing_minutes(self):
        minutes = self.env.context.get(LINE_MINUTES_KEY)
        if minutes is not None:
            return round(sum(self._get_billing_line_minutes()), 6)
        return super()._get_billing_minutes()

    def _get_billing_time_line_minutes(self):
        minutes = self.env.context.get(LINE_MINUTES_KEY)
        if minutes is not None:
            Product = self.env["product.product"]
            return [
                (Product.browse(item[0] or ()), item[1])
                if isinstance(item, tuple | list)
                else (Product, item)
                for item in minutes
            ]
        return super()._get_billing_time_line_minutes()

    def _with_customer_approval_minutes(self, minutes):
        """The case billing time lines of ``minutes`` instead of its own: the
        core's rule (work types, units, rounding, minimum charge) applied to
        them. Each item is the minutes of a line of the team's billing
        product, or a (work type id, minutes) pair."""
        return self.with_context(**{LINE_MINUTES_KEY: tuple(minutes)})

    def _get_customer_approval_billing(self, minutes):
        """(billing units, amount) of time lines of ``minutes`` on the case,
        the amount as the core prices the case's lines."""
        self.ensure_one()
        case = self._with_customer_approval_minutes(minutes)
        lines = case._get_billing_lines()
        units = case._get_billing_line_quantity(lines)[0]
        return units, case._get_billing_lines_amount(lines)

    def _get_customer_approval_billed_time(self, minutes, units):
        """(hours billed, "4 × 15 min") of ``units`` for time lines of
        ``minutes``, in the language of the case's environment."""
        self.ensure_one()
        return self._with_customer_approval_minutes(minutes)._get_billed_time(units, self.env)

    def action_review_customer_approval(self):
        self.check_access("read")
        drafts = self.customer_approval_ids.filtered(lambda a: a.state == "draft")
        if not drafts:
            raise UserError(self.env._("No approval request of this case waits for a review."))
        return drafts.action_review_and_send()

    # ------------------------------------------------------------------
    # Invoice anyway: billing without the customer's answer
    # ------------------------------------------------------------------

    def _get_customer_approval_to_override(self):
        """The request of the case waiting for the customer's answer, which a
        user with the billing right may bill without; refuse otherwise."""
        self.ensure_one()
        _ = self.env._
        if not bills_cases(self.env):
            raise AccessError(
                _(
                    "Only users of the group “Helpdesk: bill cases” can bill a case "
                    "without the customer's answer."
                )
            )
        self.check_access("read")
        latest = self._get_latest_customer_approval()
        if self.customer_approval_state == "rejected":
            raise UserError(
                _(
                    "The customer rejected the time of case %(case)s: it cannot be "
                    "billed without their approval. Correct the time and send a new "
                    "request.",
                    case=self.number,
                )
            )
        if not latest or latest.state != "sent":
            states = dict(self._fields["customer_approval_state"]._description_selection(self.env))
            raise UserError(
                _(
                    "Case %(case)s has no approval request waiting for the customer's "
                    "answer (%(state)s): only such a request can be billed without the "
                    "answer.",
                    case=self.number,
                    state=states.get(self.customer_approval_state, "-"),
                )
            )
        return latest

    def action_open_customer_approval_override(self):
        """Invoice anyway: ask for the reason, then bill without the answer."""
        check_record_ids(self)
        self.ensure_one()
        self._get_customer_approval_to_override()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invoice anyway"),
            "res_model": "helpdesk.ticket.approval.override",
            "views": [(False, "form")],
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def _override_customer_approval(self, reason):
        """Bill the case without the customer's answer to its pending request,
        the reason kept on the request and in the case's chatter. One call:
        the checks, the request closed, the message posted."""
        self.ensure_one()
        return self._get_customer_approval_to_override()._action_override(reason)

    def action_view_customer_approvals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_case_billing_approval.action_helpdesk_ticket_approval"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"create": False}
        if self.customer_approval_count == 1:
            action.update(
                {
                    "views": [(False, "form")],
                    "view_mode": "form",
                    "res_id": self.customer_approval_ids.id,
                }
            )
        return action

    def write(self, vals):
        closing = self.browse()
        if vals.get("stage_id"):
            closing = self.filtered(lambda t: not t.stage_id.closed)
        result = super().write(vals)
        if closing:
            closing.filtered(lambda t: t.stage_id.closed)._request_customer_approval()
        return result

    def _get_billing_state_of_reason(self, code, text):
        if code == "rejected":
            return "rejected", self.env._("Rejected by the customer")
        if code == "awaiting_approval":
            return "awaiting_approval", self.env._("Awaiting the customer")
        return super()._get_billing_state_of_reason(code, text)

    @api.model
    def _get_billing_state_color(self, state):
        if state == "rejected":
            return "danger"
        if state == "awaiting_approval":
            return "warning"
        return super()._get_billing_state_color(state)
