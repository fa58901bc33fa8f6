# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import re
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL, format_amount, format_duration

from odoo.addons.helpdesk_case_billing.models.helpdesk_ticket import (
    BILLING_GROUP,
    bills_cases,
    search_boolean,
)

_logger = logging.getLogger(__name__)

MANAGER_GROUP = "helpdesk_mgmt.group_helpdesk_manager"
OPEN_STATES = ("draft", "sent")
# Requests whose time lines may be billed: approved by the customer, or billed
# without the customer's answer by a user with the billing right.
COVERING_STATES = ("approved", "overridden")
# Written only by the request's own workflow (buttons, portal answer, cron):
# the customer's decision must not be forged through a plain write.
WORKFLOW_FIELDS = {
    "state",
    "sent_date",
    "decision_date",
    "decided_by_partner_id",
    "reviewer_id",
    "review_date",
    "comment",
    "reminder_count",
    "last_reminder_date",
    "override_reason",
    "override_user_id",
    "override_date",
    "decision_line_minutes",
}
# What the customer is asked to approve cannot change once it is sent.
CONTENT_FIELDS = {"ticket_id", "partner_id", "timesheet_ids"}


class HelpdeskTicketApproval(models.Model):
    _name = "helpdesk.ticket.approval"
    _description = "Customer approval of a case's time"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default="/",
    )
    # Whoever holds the token answers for the customer: only the e-mails to
    # the customer carry it, and no employee reads it.
    access_token = fields.Char(groups="base.group_system")
    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Case",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        related="ticket_id.company_id", store=True, index=True, string="Company"
    )
    team_id = fields.Many2one(related="ticket_id.team_id", store=True, string="Team")
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer contact",
        required=True,
        tracking=True,
        help="The contact who receives the request and approves or rejects it.",
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        store=True,
        index=True,
        string="Customer",
    )
    timesheet_ids = fields.Many2many(
        comodel_name="account.analytic.line",
        relation="helpdesk_ticket_approval_timesheet_rel",
        column1="approval_id",
        column2="timesheet_id",
        string="Time lines",
        copy=False,
    )
    total_hours = fields.Float(
        string="Total time",
        compute="_compute_total_hours",
        store=True,
        help="Hours of the time lines the customer is asked to approve.",
    )
    state = fields.Selection(
        selection=[
            ("draft", "To review"),
            ("sent", "Waiting for the customer"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("expired", "Expired"),
            ("overridden", "Billed without answer"),
        ],
        string="Status",
        required=True,
        default="draft",
        tracking=True,
        copy=False,
        index=True,
    )
    comment = fields.Text(string="Customer comment", copy=False)
    sent_date = fields.Datetime(string="Sent on", copy=False, readonly=True)
    expiry_date = fields.Datetime(
        string="Expires on",
        copy=False,
        help="The customer can answer until then; the request expires afterwards.",
    )
    decision_date = fields.Datetime(string="Answered on", copy=False, readonly=True)
    # {time line id: minutes, or [minutes, work type id]} of the billable
    # time lines when the customer answered: what they approved or rejected,
    # to tell whether the time changed since.
    decision_line_minutes = fields.Json(
        string="Time lines as answered", copy=False, readonly=True
    )
    decided_by_partner_id = fields.Many2one(
        comodel_name="res.partner", string="Answered by", copy=False, readonly=True
    )
    reviewer_id = fields.Many2one(
        comodel_name="res.users",
        string="Reviewed by",
        copy=False,
        readonly=True,
        help="Who approved the time internally before the request was sent.",
    )
    review_date = fields.Datetime(string="Reviewed on", copy=False, readonly=True)
    reminder_count = fields.Integer(string="Reminders sent", copy=False, readonly=True)
    last_reminder_date = fields.Datetime(string="Last reminder", copy=False, readonly=True)
    override_reason = fields.Text(
        string="Reason for billing without answer",
        copy=False,
        readonly=True,
        groups="base.group_user",
        help="Why the case was billed without the customer's answer (Invoice anyway).",
    )
    override_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Billed without answer by",
        copy=False,
        readonly=True,
        groups="base.group_user",
    )
    override_date = fields.Datetime(string="Billed without answer on", copy=False, readonly=True)
    billing_summary = fields.Char(
        string="Billed",
        compute="_compute_billing_summary",
        help="Time spent on the request's time lines, the time billed for it and "
        "its amount, as the customer reads them.",
    )
    reminder_due = fields.Boolean(
        string="Reminder due",
        compute="_compute_reminder_due",
        search="_search_reminder_due",
        help="Waiting for the customer for longer than the reminder delay of the "
        "company, with no reminder within that delay.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("timesheet_ids.unit_amount")
    def _compute_total_hours(self):
        for approval in self:
            approval.total_hours = sum(approval.timesheet_ids.mapped("unit_amount"))

    @api.depends(
        "timesheet_ids.unit_amount",
        "timesheet_ids.case_billable",
        "ticket_id.team_id.case_billing_mode",
        "ticket_id.team_id.case_billing_unit_minutes",
        "ticket_id.team_id.case_billing_minimum_minutes",
        "ticket_id.team_id.case_billing_rounding",
        "ticket_id.team_id.case_billing_product_id.lst_price",
        "timesheet_ids.case_work_type_id.lst_price",
    )
    @api.depends_context("lang")
    def _compute_billing_summary(self):
        for approval in self:
            approval.billing_summary = (
                approval._get_approval_figures()["summary"] if approval.ticket_id else False
            )

    def _compute_access_url(self):
        super()._compute_access_url()
        for approval in self:
            approval.access_url = f"/my/case-approval/{approval.id}"

    def _compute_reminder_due(self):
        now = fields.Datetime.now()
        for approval in self:
            approval.reminder_due = approval._is_reminder_due(now)

    def _search_reminder_due(self, operator, value):
        return search_boolean(operator, value, self._get_reminder_due_domain)

    @api.model
    def _get_reminder_due_domain(self):
        now = fields.Datetime.now()
        per_company = []
        # Each company has its own delay.
        for company in self.env["res.company"].sudo().search([]):
            limit = now - timedelta(days=company.case_billing_approval_reminder_days)
            per_company.append(
                Domain("company_id", "=", company.id)
                & Domain("sent_date", "<=", limit)
                & (
                    Domain("last_reminder_date", "=", False)
                    | Domain("last_reminder_date", "<=", limit)
                )
            )
        return Domain("state", "=", "sent") & Domain.OR(per_company or [Domain.FALSE])

    def _reminder_limit(self, now=None):
        self.ensure_one()
        days = self.company_id.case_billing_approval_reminder_days
        return (now or fields.Datetime.now()) - timedelta(days=days)

    def _is_pending_long(self, now=None):
        self.ensure_one()
        return bool(
            self.state == "sent" and self.sent_date and self.sent_date <= self._reminder_limit(now)
        )

    def _is_reminder_due(self, now=None):
        self.ensure_one()
        limit = self._reminder_limit(now)
        return self._is_pending_long(now) and (
            not self.last_reminder_date or self.last_reminder_date <= limit
        )

    def _is_expired(self, now=None):
        """Expired, or waiting past its expiry date (before the cron saw it)."""
        self.ensure_one()
        if self.state == "expired":
            return True
        now = now or fields.Datetime.now()
        return bool(self.state == "sent" and self.expiry_date and self.expiry_date <= now)

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._(
            "Time sheet %(reference)s", reference=re.sub(r"[^\w-]+", "-", self.name)
        )

    # ------------------------------------------------------------------
    # CRUD: the workflow owns the state
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("case_approval_workflow"):
            for vals in vals_list:
                if WORKFLOW_FIELDS.intersection(vals) - {"state"} or vals.get(
                    "state", "draft"
                ) != "draft":
                    raise UserError(self._workflow_error())
        Sequence = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = Sequence.next_by_code("helpdesk.ticket.approval") or "/"
        return super(
            HelpdeskTicketApproval, self.with_context(mail_create_nosubscribe=True)
        ).create(vals_list)

    def write(self, vals):
        if not self.env.context.get("case_approval_workflow"):
            if WORKFLOW_FIELDS.intersection(vals):
                raise UserError(self._workflow_error())
            if CONTENT_FIELDS.intersection(vals):
                sent = self.filtered(lambda a: a.state != "draft")
                if sent:
                    raise UserError(
                        self.env._(
                            "Request %(request)s was sent to the customer: its case, "
                            "contact and time lines cannot change any more. Send a new "
                            "request instead.",
                            request=sent[0].name,
                        )
                    )
        return super().write(vals)

    def _workflow_error(self):
        return self.env._(
            "The status and the answer of a customer approval request change only "
            "through its buttons and the customer's answer on the portal."
        )

    def _workflow_write(self, vals):
        return self.with_context(case_approval_workflow=True).write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_answered(self):
        answered = self.filtered(lambda a: a.state != "draft")
        if answered:
            raise UserError(
                self.env._(
                    "Request %(request)s was sent to the customer: it cannot be "
                    "deleted, it is the record of what the customer was asked.",
                    request=answered[0].name,
                )
            )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    @api.model
    def _may_review(self, user):
        """Helpdesk managers and billing users review the time before it is sent."""
        return user.has_group(MANAGER_GROUP) or user.has_group(BILLING_GROUP)

    @api.model
    def _check_reviewer(self):
        if not self.env.su and not self._may_review(self.env.user):
            raise AccessError(
                self.env._(
                    "Only helpdesk managers and users of the group “Helpdesk: bill "
                    "cases” can review the time before it is sent to the customer."
                )
            )

    def _schedule_review(self):
        """A to-do for the team leader, else the assignee, if they may review."""
        _ = self.env._
        for approval in self:
            ticket = approval.ticket_id.sudo()
            reviewers = (ticket.team_id.user_id | ticket.user_id).filtered(
                lambda u, a=approval: a._may_review(u) and a.with_user(u).has_access("read")
            )
            if reviewers:
                approval.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=reviewers[0].id,
                    summary=_("Review the time before the customer is asked"),
                )
            ticket._message_log(
                body=_(
                    "Customer approval request %(request)s waits for an internal "
                    "review of the time before it is sent to %(contact)s.",
                    request=approval.name,
                    contact=approval.partner_id.display_name,
                )
            )

    def action_review_and_send(self):
        """Internal review: the time is right, ask the customer."""
        self._check_reviewer()
        not_draft = self.filtered(lambda a: a.state != "draft")
        if not_draft:
            raise UserError(
                self.env._(
                    "Request %(request)s is not waiting for an internal review.",
                    request=not_draft[0].name,
                )
            )
        self._workflow_write(
            {"reviewer_id": self.env.user.id, "review_date": fields.Datetime.now()}
        )
        self.sudo().activity_feedback(["mail.mail_activity_data_todo"])
        self._send_request()
        return True

    def _send_request(self):
        """Mail the request with its portal link to the customer."""
        _ = self.env._
        for approval in self:
            if approval.state != "draft":
                raise UserError(
                    _("Request %(request)s was sent already.", request=approval.name)
                )
            if not approval.partner_id.email:
                raise UserError(
                    _(
                        "The approval request of case %(case)s cannot be sent: the "
                        "contact %(contact)s has no e-mail address.",
                        case=approval.ticket_id.number,
                        contact=approval.partner_id.display_name,
                    )
                )
        now = fields.Datetime.now()
        for approval in self:
            approval.sudo()._portal_ensure_token()
            approval._workflow_write(
                {
                    "state": "sent",
                    "sent_date": now,
                    "expiry_date": now
                    + timedelta(days=approval.company_id.case_billing_approval_expiry_days),
                    "reminder_count": 0,
                    "last_reminder_date": False,
                }
            )
            approval._post_customer_request(
                "helpdesk_case_billing_approval.mail_template_case_approval_request"
            )
            approval.ticket_id.sudo()._message_log(
                body=_(
                    "Customer approval request %(request)s sent to %(contact)s for "
                    "%(hours)s hours.",
                    request=approval.name,
                    contact=approval.partner_id.display_name,
                    hours=approval._format_hours(approval.total_hours),
                )
            )

    def action_send_reminder(self):
        self.check_access("write")
        not_due = self.filtered(lambda a: not a._is_pending_long())
        if not_due:
            approval = not_due[0]
            raise UserError(
                self.env._(
                    "Request %(request)s is not waiting for the customer for more than "
                    "%(days)s days: no reminder is sent.",
                    request=approval.name,
                    days=approval.company_id.case_billing_approval_reminder_days,
                )
            )
        self._send_reminder()
        return True

    def _send_reminder(self):
        now = fields.Datetime.now()
        for approval in self:
            approval._post_customer_request(
                "helpdesk_case_billing_approval.mail_template_case_approval_reminder"
            )
            approval._workflow_write(
                {"reminder_count": approval.reminder_count + 1, "last_reminder_date": now}
            )

    def _expire(self, replaced=False):
        _ = self.env._
        for approval in self.filtered(lambda a: a.state == "sent"):
            approval._workflow_write({"state": "expired"})
            if replaced:
                body = _(
                    "Customer approval request %(request)s is replaced by a new one.",
                    request=approval.name,
                )
            else:
                body = _(
                    "Customer approval request %(request)s expired without an answer: "
                    "send a new one to bill the case.",
                    request=approval.name,
                )
            approval.ticket_id.sudo()._message_log(body=body)

    def _lock_for_decision(self):
        """Two answers at the same moment: the second sees the first one's result."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM helpdesk_ticket_approval WHERE id IN %s FOR UPDATE",
                tuple(self.ids),
            )
        )
        self.invalidate_recordset()

    def _action_customer_decision(self, decision, comment=None, partner=None):
        """Record the customer's answer (called by the portal, under sudo)."""
        self.ensure_one()
        _ = self.env._
        if decision not in ("approve", "reject"):
            raise UserError(_("Choose to approve or to reject the time."))
        comment = (comment or "").strip()
        self._lock_for_decision()
        if self._is_expired():
            raise UserError(_("This approval request has expired."))
        if self.state == "overridden":
            raise UserError(
                _(
                    "This approval request was closed without your answer: %(company)s "
                    "billed the time listed. Please contact them if something is wrong.",
                    company=self.company_id.name,
                )
            )
        if self.state != "sent":
            raise UserError(
                _(
                    "This approval request was answered already: %(state)s.",
                    state=self._state_label(),
                )
            )
        if decision == "reject" and not comment:
            raise UserError(
                _(
                    "Please say what is wrong with the time: a comment is required to "
                    "reject it."
                )
            )
        author = partner or self.partner_id
        self._workflow_write(
            {
                "state": "approved" if decision == "approve" else "rejected",
                "comment": comment or False,
                "decision_date": fields.Datetime.now(),
                "decided_by_partner_id": author.id,
                "decision_line_minutes": self._line_minutes_json(
                    self.sudo().timesheet_ids.filtered("case_billable")
                ),
            }
        )
        self._notify_team_of_decision(author)
        if decision == "approve":
            self._send_approval_confirmation()
        return True

    def _action_override(self, reason):
        """Bill the case without the customer's answer ("Invoice anyway").

        The request is closed: the customer can no longer answer it, and its
        time lines may be billed. Only users with the billing right may, and
        only while the request waits for the customer.
        """
        self.ensure_one()
        _ = self.env._
        if not bills_cases(self.env):
            raise AccessError(
                _(
                    "Only users of the group “Helpdesk: bill cases” can bill a case "
                    "without the customer's answer."
                )
            )
        reason = (reason or "").strip()
        if not reason:
            raise UserError(
                _("Say why the case is billed without the customer's answer: a reason is required.")
            )
        # The customer may be answering at this very moment: the first one wins.
        self._lock_for_decision()
        if self.state != "sent":
            raise UserError(
                _(
                    "Request %(request)s is not waiting for the customer's answer any "
                    "more (%(state)s): it cannot be billed without the answer.",
                    request=self.name,
                    state=self._state_label(),
                )
            )
        user = self.env.user
        self._workflow_write(
            {
                "state": "overridden",
                "override_reason": reason,
                "override_user_id": user.id,
                "override_date": fields.Datetime.now(),
            }
        )
        # sudo: a user with the billing right alone may not write the case;
        # the message stays theirs.
        self.ticket_id.sudo().message_post(
            body=escape(
                _(
                    "Billed without the customer's answer: %(reason)s (request "
                    "%(request)s, by %(user)s; the customer can no longer answer it)",
                    reason=reason,
                    request=self.name,
                    user=user.name,
                )
            ),
            author_id=user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    # ------------------------------------------------------------------
    # What the customer is asked to approve: time spent, billed, amount
    # ------------------------------------------------------------------

    @api.model
    def _line_minutes(self, lines):
        """{time line id: minutes} of ``lines``, as the core counts them."""
        return {line.id: round(line.unit_amount * 60, 6) for line in lines}

    @api.model
    def _line_minutes_json(self, lines):
        """{time line id: minutes} of ``lines``, or [minutes, work type id]
        for a line with a work type: a work type changed since the answer is
        a change of what is billed (a line without one reads as before work
        types, so earlier answers compare alike)."""
        return {
            str(line.id): [minutes, line.case_work_type_id.id]
            if line.case_work_type_id
            else minutes
            for line, minutes in zip(lines, self._line_minutes(lines).values(), strict=True)
        }

    @api.model
    def _line_work_minutes(self, lines):
        """[(work type id or False, minutes)] of ``lines``, as the core
        counts them (see ``_with_customer_approval_minutes`` of the case)."""
        return [
            (line.case_work_type_id.id, round(line.unit_amount * 60, 6))
            for line in lines.sorted("id")
        ]

    def _get_billed_line_minutes(self):
        """(work type id, minutes) of the request's own time lines that are
        billed: the figures of the request are those of the time it asks
        about, not of time logged on the case since."""
        self.ensure_one()
        return self._line_work_minutes(self.sudo().timesheet_ids.filtered("case_billable"))

    @api.model
    def _format_minutes(self, minutes, env=None):
        """50 min, 1 h, 1 h 05 min: a duration as the customer reads it."""
        _ = (env or self.env)._
        # A line of a few seconds still shows as spent time.
        total = max(round(minutes), 1) if minutes > 0 else 0
        hours, rest = divmod(total, 60)
        if not hours:
            return _("%(minutes)s min", minutes=rest)
        if not rest:
            return _("%(hours)s h", hours=hours)
        return _("%(hours)s h %(minutes)s min", hours=hours, minutes=f"{rest:02d}")

    @api.model
    def _format_approval_figures(self, ticket, minutes, lang=None):
        """The figures of time lines of ``minutes`` on ``ticket`` (each the
        minutes of a line, or a (work type id, minutes) pair), written in
        ``lang``: the core's billing rule (units, rounding, minimum charge,
        flat rate) and its amount, applied to those lines.

        :return: dict of ``spent`` (50 min), ``billed`` (1 h, or the flat
            rate), ``units`` (4 × 15 min), ``amount`` ($ 60.00), ``flat`` and
            ``summary``, the sentence that says them all.
        """
        # sudo: the customer reads the figures of their case on the portal.
        ticket = ticket.sudo().with_context(lang=lang or self.env.lang)
        env = ticket.env
        _ = env._
        units, amount = ticket._get_customer_approval_billing(minutes)
        billed_hours, units_label = ticket._get_customer_approval_billed_time(minutes, units)
        currency = ticket.billing_currency_id or ticket.company_id.currency_id
        spent_minutes = sum(
            item[1] if isinstance(item, tuple | list) else item for item in minutes
        )
        figures = {
            "spent": self._format_minutes(spent_minutes, env),
            "units": units_label,
            "amount": format_amount(env, amount, currency, lang_code=env.lang),
            "flat": ticket.team_id.case_billing_mode == "fixed",
        }
        if figures["flat"]:
            figures["billed"] = units_label
            if spent_minutes:
                figures["summary"] = _(
                    "%(spent)s spent, billed at a flat rate: %(amount)s",
                    spent=figures["spent"],
                    amount=figures["amount"],
                )
            else:
                figures["summary"] = _(
                    "Billed at a flat rate: %(amount)s", amount=figures["amount"]
                )
        else:
            figures["billed"] = self._format_minutes(billed_hours * 60, env)
            figures["summary"] = _(
                "%(spent)s spent, billed as %(billed)s (%(units)s): %(amount)s",
                spent=figures["spent"],
                billed=figures["billed"],
                units=units_label,
                amount=figures["amount"],
            )
        return figures

    def _get_approval_figures(self, lang=None):
        """What the customer approves: the time of the request's lines, the
        time billed for it and its amount, in ``lang`` (the current language
        by default; the mails pass the customer's)."""
        self.ensure_one()
        return self._format_approval_figures(
            self.ticket_id, self._get_billed_line_minutes(), lang=lang
        )

    # ------------------------------------------------------------------
    # Mails and notifications
    # ------------------------------------------------------------------

    @api.model
    def _format_hours(self, hours):
        return format_duration(hours)

    def _post_customer_mail(self, template_xmlid, attachment_ids=None, layout=None):
        self.ensure_one()
        template = self.env.ref(template_xmlid)
        extra = {"attachment_ids": attachment_ids} if attachment_ids else {}
        # sudo: the template reads the time lines, which helpdesk users may not
        # read; the author stays the user who acts.
        return self.sudo().message_post_with_source(
            template,
            subtype_xmlid="mail.mt_comment",
            email_layout_xmlid=layout or "mail.mail_notification_light",
            **extra,
        )

    def _post_customer_request(self, template_xmlid):
        """Mail the request's link to the customer only: the layout's button
        carries the token in the e-mail and nowhere else, so the message kept
        in the chatter, which employees read, does not hold it."""
        return self._post_customer_mail(template_xmlid, layout="mail.mail_notification_layout")

    def _notify_get_recipients_groups(self, message, model_description, msg_vals=False):
        groups = super()._notify_get_recipients_groups(
            message, model_description, msg_vals=msg_vals
        )
        for name, _check, data in groups:
            if name == "portal_customer" and data.get("has_button_access"):
                data["button_access"]["title"] = self.env._("Review the time")
        return groups

    def _get_team_recipients(self):
        """Who hears of the customer's answer: assignee, team leader, employees."""
        self.ensure_one()
        ticket = self.ticket_id.sudo()
        employees = self.sudo().timesheet_ids.employee_id
        partners = (
            ticket.user_id.partner_id
            | ticket.team_id.user_id.partner_id
            | employees.user_id.partner_id
            | employees.work_contact_id
        )
        # Users are notified in Odoo at least; others need an address.
        return partners.filtered(lambda p: p.email or p.user_ids)

    def _notify_team_of_decision(self, author):
        self.ensure_one()
        ticket = self.ticket_id.sudo()
        recipients = self._get_team_recipients()
        lang = (
            ticket.team_id.user_id.lang
            or ticket.user_id.lang
            or ticket.company_id.partner_id.lang
            or self.env.lang
        )
        _ = self.with_context(lang=lang).env._
        hours = self._format_hours(self.total_hours)
        if self.state == "approved":
            body = escape(
                _(
                    "%(customer)s approved the time of request %(request)s "
                    "(%(hours)s hours).",
                    customer=author.display_name,
                    request=self.name,
                    hours=hours,
                )
            )
        else:
            body = escape(
                _(
                    "%(customer)s rejected the time of request %(request)s "
                    "(%(hours)s hours). Correct the time lines and send a new request.",
                    customer=author.display_name,
                    request=self.name,
                    hours=hours,
                )
            ) + Markup("<br/><i>%s</i>") % self.comment
        ticket.with_context(lang=lang).message_post(
            body=body,
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            partner_ids=recipients.ids,
        )

    def _render_time_sheet_attachment(self):
        """The approved time sheet as a PDF attachment of the request.

        Without a working PDF engine the approval still stands: the reason is
        logged and the confirmation leaves without the attachment.
        """
        self.ensure_one()
        report = self.env.ref("helpdesk_case_billing_approval.action_report_case_approval")
        try:
            with self.env.cr.savepoint():
                content, report_format = (
                    self.env["ir.actions.report"]
                    .sudo()
                    .with_company(self.company_id)
                    ._render_qweb_pdf(report, self.ids)
                )
        except UserError as error:
            _logger.warning(
                "Approved time sheet of %s not printed: %s", self.name, error.args[0]
            )
            return self.env["ir.attachment"], error.args[0]
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"{self._get_report_base_filename()}.{report_format}",
                    "raw": content,
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )
        return attachment, None

    def _send_approval_confirmation(self):
        self.ensure_one()
        attachment, failure = self._render_time_sheet_attachment()
        self._post_customer_mail(
            "helpdesk_case_billing_approval.mail_template_case_approval_confirmed",
            attachment_ids=attachment.ids,
        )
        if failure:
            self.sudo()._message_log(
                body=self.env._(
                    "The approved time sheet could not be attached as a PDF: %(reason)s",
                    reason=failure,
                )
            )

    # ------------------------------------------------------------------
    # Actions and cron
    # ------------------------------------------------------------------

    def action_open_portal(self):
        """Preview the page the customer sees."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            # No token: the employee's own session opens the page as a preview,
            # where answers are refused.
            "url": self.access_url,
            "target": "new",
        }

    def action_open_ticket(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": self.ticket_id.id,
            "views": [(False, "form")],
        }

    @api.model
    def _cron_process_case_approvals(self):
        """Expire the requests past their date, remind the ones due."""
        Approval = self.sudo()
        now = fields.Datetime.now()
        Approval.search([("state", "=", "sent"), ("expiry_date", "<=", now)])._expire()
        due = Approval.search([("reminder_due", "=", True)])
        due._send_reminder()
        _logger.info("Customer approvals: %s reminder(s) sent", len(due))
