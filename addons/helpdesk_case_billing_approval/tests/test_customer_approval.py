# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from odoo.addons.helpdesk_case_billing.tests.common import CaseBillingCommon


class CustomerApprovalCommon(CaseBillingCommon):
    """A team whose customers approve the time of each case before billing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "case_billing_approval_trigger": "on_close",
                "case_billing_approval_reminder_days": 7,
                "case_billing_approval_expiry_days": 30,
            }
        )
        cls.leader = cls._new_user("hcb_appr_leader", "helpdesk_mgmt.group_helpdesk_user")
        cls.leader.partner_id.email = "leader@support.example"
        cls.approval_team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Approved support",
                "company_id": cls.company.id,
                "default_project_id": cls.project.id,
                "case_billing_enabled": True,
                "case_billing_unit_minutes": 15,
                "case_billing_approval_required": True,
                "user_id": cls.leader.id,
            }
        )
        cls.contact.email = "alice@acme.example"
        cls.other_contact = cls.env["res.partner"].create(
            {
                "name": "Bruno Lemaire",
                "email": "bruno@brightline.example",
                "parent_id": cls.other_customer.id,
            }
        )
        cls.Approval = cls.env["helpdesk.ticket.approval"]

    def _approval_case(self, name="Printer broken", **values):
        return self._create_case(name=name, team=self.approval_team, **values)

    def _mails(self, approval, template_xmlid=None):
        mails = self.env["mail.mail"].search(
            [("model", "=", approval._name), ("res_id", "=", approval.id)]
        )
        if template_xmlid:
            subject = self.env.ref(template_xmlid)._render_field("subject", approval.ids)[
                approval.id
            ]
            mails = mails.filtered(lambda m: m.subject == subject)
        return mails

    def _request_approval(self, ticket):
        """Request customer approval as the case's button does: its
        confirmation opened, then confirmed."""
        action = ticket.action_request_customer_approval()
        self.assertEqual(action["res_model"], "helpdesk.ticket.approval.request")
        wizard = self.env[action["res_model"]].with_context(action["context"]).create({})
        return wizard.action_confirm()

    def _billable_ids(self, tickets):
        return set(
            self.env["helpdesk.ticket"]
            .search([("id", "in", tickets.ids), ("is_billable_now", "=", True)])
            .ids
        )


@tagged("post_install", "-at_install")
class TestCustomerApproval(CustomerApprovalCommon):
    # ------------------------------------------------------------------
    # Requests and the state machine
    # ------------------------------------------------------------------

    def test_closing_sends_the_request_with_its_link(self):
        ticket = self._approval_case(minutes=(20, 25))
        approval = ticket.customer_approval_ids
        self.assertEqual(len(approval), 1)
        self.assertEqual(approval.state, "sent")
        self.assertEqual(approval.partner_id, self.contact)
        self.assertEqual(approval.timesheet_ids, ticket.timesheet_ids)
        self.assertAlmostEqual(approval.total_hours, 45 / 60)
        self.assertTrue(approval.sudo().access_token)
        self.assertEqual(
            approval.expiry_date - approval.sent_date, timedelta(days=30)
        )
        self.assertEqual(ticket.customer_approval_state, "waiting")
        mail = self._mails(approval, "helpdesk_case_billing_approval.mail_template_case_approval_request")
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.contact)
        # The link is in the e-mail only: its button carries the token.
        token = approval.sudo().access_token
        self.assertIn(f"access_token={token}", str(mail.body_html))
        self.assertIn("Review the time", str(mail.body_html))
        # The message kept in the chatter, which employees read, does not hold it.
        messages = self.env["mail.message"].sudo().search(
            [("model", "=", approval._name), ("res_id", "=", approval.id)]
        )
        self.assertTrue(messages)
        self.assertFalse([m.id for m in messages if token in str(m.body)])
        self.assertIn(ticket.number, mail.subject)
        self.assertIn("sent to", ticket.message_ids[0].body)

    def test_employees_cannot_read_the_customers_token(self):
        # Whoever holds the token answers for the customer, without a session.
        approval = self._approval_case().customer_approval_ids
        token = approval.sudo().access_token
        self.assertTrue(token)
        as_leader = approval.with_user(self.leader)
        self.assertEqual(as_leader.read(["state"])[0]["state"], "sent")
        with self.assertRaises(AccessError):
            as_leader.read(["access_token"])
        # Neither from the chatter nor from the preview the employees open.
        bodies = (
            self.env["mail.message"]
            .with_user(self.leader)
            .search_read([("model", "=", approval._name), ("res_id", "=", approval.id)], ["body"])
        )
        self.assertTrue(bodies)
        self.assertFalse([m for m in bodies if token in str(m["body"])])
        preview = as_leader.action_open_portal()
        self.assertEqual(preview["url"], f"/my/case-approval/{approval.id}")

    def test_time_not_billable_is_not_in_the_request(self):
        ticket = self._approval_case(minutes=(20,), closed=False)
        self._log_time(ticket, 45).case_billable = False
        ticket.stage_id = self.stage_done
        approval = ticket.customer_approval_ids
        self.assertEqual(approval.timesheet_ids, ticket.timesheet_ids.filtered("case_billable"))
        self.assertAlmostEqual(approval.total_hours, 20 / 60)

    def test_a_team_without_approval_asks_nothing(self):
        ticket = self._create_case()
        self.assertFalse(ticket.customer_approval_ids)
        self.assertTrue(ticket.is_billable_now)
        self.assertEqual(self._billable_ids(ticket), {ticket.id})

    def test_approval_by_the_customer(self):
        # Assigned from the start: helpdesk_mgmt 19.0.1.1.0 puts a case back in
        # its team's first stage when a user is assigned.
        self.approval_team.user_ids |= self.env.user
        ticket = self._approval_case(user_id=self.env.user.id)
        self.assertEqual(ticket.user_id, self.env.user)
        approval = ticket.customer_approval_ids
        self.assertFalse(ticket.is_billable_now)
        approval._action_customer_decision("approve", "Fine", self.contact)
        self.assertEqual(approval.state, "approved")
        self.assertEqual(approval.decided_by_partner_id, self.contact)
        self.assertTrue(approval.decision_date)
        self.assertEqual(approval.comment, "Fine")
        self.assertEqual(ticket.customer_approval_state, "approved")
        self.assertTrue(ticket.is_billable_now, ticket.billing_blockers)
        self.assertEqual(self._billable_ids(ticket), {ticket.id})
        # The customer gets the approved time sheet.
        confirmation = self._mails(
            approval, "helpdesk_case_billing_approval.mail_template_case_approval_confirmed"
        )
        self.assertEqual(len(confirmation), 1)
        self.assertEqual(confirmation.recipient_ids, self.contact)
        self.assertEqual(len(confirmation.attachment_ids), 1)
        attachment = confirmation.attachment_ids
        self.assertIn(approval.name.replace("/", "-"), attachment.name)
        self.assertEqual((attachment.res_model, attachment.res_id), (approval._name, approval.id))
        self.assertIn("Diagnosis and fix", attachment.raw.decode(errors="ignore"))
        # The team hears of it on the case: leader, assignee and employee.
        note = ticket.message_ids.filtered(lambda m: "approved the time" in str(m.body))
        self.assertEqual(len(note), 1)
        self.assertEqual(note.author_id, self.contact)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        self.assertLessEqual(
            self.leader.partner_id | self.env.user.partner_id | self.employee.work_contact_id,
            note.partner_ids,
        )
        leader_mail = self.env["mail.mail"].search(
            [
                ("mail_message_id", "=", note.id),
                ("recipient_ids", "in", self.leader.partner_id.ids),
            ]
        )
        self.assertEqual(len(leader_mail), 1, "the team leader gets an e-mail")

    def test_rejection_needs_a_comment_then_goes_back_to_the_team(self):
        ticket = self._approval_case(minutes=(30,))
        approval = ticket.customer_approval_ids
        self.assertEqual(
            (ticket.billing_state, ticket.billing_state_label),
            ("awaiting_approval", "Awaiting the customer"),
        )
        for empty in (None, "", "   \n "):
            with self.assertRaisesRegex(UserError, "comment is required"):
                approval._action_customer_decision("reject", empty, self.contact)
        self.assertEqual(approval.state, "sent")
        approval._action_customer_decision("reject", "Only 15 minutes were needed.", self.contact)
        self.assertEqual(approval.state, "rejected")
        self.assertEqual(ticket.customer_approval_state, "rejected")
        self.assertIn(
            "Rejected by customer: Only 15 minutes were needed.", ticket.billing_blockers
        )
        self.assertEqual(
            (ticket.billing_state, ticket.billing_state_label, ticket.billing_state_color),
            ("rejected", "Rejected by the customer", "danger"),
        )
        self.assertFalse(self._billable_ids(ticket))
        note = ticket.message_ids.filtered(lambda m: "rejected the time" in str(m.body))
        self.assertIn("Only 15 minutes were needed.", str(note.body))
        self.assertIn(self.leader.partner_id, note.partner_ids)
        self.assertFalse(
            self._mails(approval, "helpdesk_case_billing_approval.mail_template_case_approval_confirmed")
        )
        # The team corrects the time and asks again.
        ticket.timesheet_ids.unit_amount = 0.25
        self._request_approval(ticket)
        new = ticket.customer_approval_ids - approval
        self.assertEqual(new.state, "sent")
        self.assertEqual(new.timesheet_ids, ticket.timesheet_ids)
        self.assertAlmostEqual(new.total_hours, 0.25)
        self.assertEqual(approval.state, "rejected", "the rejection stays on record")
        self.assertEqual(ticket.customer_approval_state, "waiting")
        new._action_customer_decision("approve", None, self.contact)
        self.assertTrue(ticket.is_billable_now, ticket.billing_blockers)

    def test_an_answered_request_cannot_be_answered_again(self):
        approval = self._approval_case().customer_approval_ids
        approval._action_customer_decision("approve", None, self.contact)
        with self.assertRaisesRegex(UserError, "answered already"):
            approval._action_customer_decision("reject", "Changed my mind", self.contact)
        with self.assertRaisesRegex(UserError, "approve or to reject"):
            approval._action_customer_decision("maybe", None, self.contact)
        self.assertEqual(approval.state, "approved")

    def test_the_workflow_fields_cannot_be_written(self):
        ticket = self._approval_case()
        approval = ticket.customer_approval_ids
        with self.assertRaisesRegex(UserError, "only through its buttons"):
            approval.write({"state": "approved"})
        with self.assertRaisesRegex(UserError, "only through its buttons"):
            approval.write({"decided_by_partner_id": self.contact.id})
        with self.assertRaisesRegex(UserError, "was sent to the customer"):
            approval.write({"timesheet_ids": [Command.clear()]})
        with self.assertRaisesRegex(UserError, "only through its buttons"):
            self.Approval.create(
                {"ticket_id": ticket.id, "partner_id": self.contact.id, "state": "approved"}
            )
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            approval.unlink()
        self.assertEqual(approval.state, "sent")

    def test_a_second_manual_request_replaces_the_open_one(self):
        ticket = self._approval_case()
        first = ticket.customer_approval_ids
        self._request_approval(ticket)
        second = ticket.customer_approval_ids - first
        self.assertEqual(first.state, "expired")
        self.assertEqual(second.state, "sent")
        self.assertNotEqual(first.sudo().access_token, second.sudo().access_token)
        self.assertIn("replaced", ticket.message_ids[1].body)

    def test_manual_request_errors(self):
        plain = self._create_case()
        with self.assertRaisesRegex(UserError, "does not ask its customers"):
            self._request_approval(plain)
        no_time = self._approval_case(minutes=())
        self.assertFalse(no_time.customer_approval_ids, "no time: nothing to approve")
        with self.assertRaisesRegex(UserError, "no time left to approve"):
            self._request_approval(no_time)
        self.contact.email = False
        silent = self._approval_case(name="No e-mail")
        self.assertEqual(silent.customer_approval_ids.state, "draft")
        self.assertIn("no e-mail address", silent.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "has no e-mail address"):
            self._request_approval(silent)

    def test_reopening_and_closing_again_does_not_ask_twice(self):
        ticket = self._approval_case()
        ticket.stage_id = self.stage_in_progress
        ticket.stage_id = self.stage_done
        self.assertEqual(len(ticket.customer_approval_ids), 1)

    def test_flat_rate_case_can_be_approved_without_time(self):
        self.approval_team.case_billing_mode = "fixed"
        ticket = self._approval_case(minutes=())
        approval = ticket.customer_approval_ids
        self.assertEqual(approval.state, "sent")
        self.assertFalse(approval.timesheet_ids)
        approval._action_customer_decision("approve", None, self.contact)
        self.assertTrue(ticket.is_billable_now, ticket.billing_blockers)

    # ------------------------------------------------------------------
    # Internal review before the request
    # ------------------------------------------------------------------

    def test_after_review_the_request_waits_for_a_reviewer(self):
        self.company.case_billing_approval_trigger = "after_review"
        ticket = self._approval_case(user_id=self.env.user.id)
        approval = ticket.customer_approval_ids
        self.assertEqual(approval.state, "draft")
        to_customer = lambda: self._mails(approval).filtered(  # noqa: E731
            lambda m: self.contact in m.recipient_ids
        )
        self.assertFalse(to_customer())
        self.assertEqual(ticket.customer_approval_state, "review")
        self.assertIn("reviewed internally", ticket.billing_blockers)
        activity = approval.activity_ids
        self.assertEqual(
            activity.user_id, self.env.user, "the assignee reviews: the leader may not"
        )
        # A helpdesk user who is not a reviewer cannot send it.
        with self.assertRaises(AccessError):
            ticket.with_user(self.leader).action_review_customer_approval()
        self.assertEqual(approval.state, "draft")
        ticket.action_review_customer_approval()
        self.assertEqual(approval.state, "sent")
        self.assertEqual(approval.reviewer_id, self.env.user)
        self.assertTrue(approval.review_date)
        self.assertFalse(approval.activity_ids, "the review to-do is done")
        self.assertEqual(len(to_customer()), 1)
        with self.assertRaisesRegex(UserError, "not waiting for an internal review"):
            approval.action_review_and_send()

    # ------------------------------------------------------------------
    # Billing blockers
    # ------------------------------------------------------------------

    def test_blockers_and_search_agree_in_every_approval_state(self):
        waiting = self._approval_case(name="Waiting")
        approved = self._approval_case(name="Approved")
        approved.customer_approval_ids._action_customer_decision("approve", None, self.contact)
        rejected = self._approval_case(name="Rejected")
        rejected.customer_approval_ids._action_customer_decision(
            "reject", "Too long", self.contact
        )
        changed = self._approval_case(name="More time later")
        changed.customer_approval_ids._action_customer_decision("approve", None, self.contact)
        self._log_time(changed, 10)
        expired = self._approval_case(name="Expired")
        expired.customer_approval_ids._expire()
        self.company.case_billing_approval_trigger = "after_review"
        review = self._approval_case(name="Review")
        # A team that starts requiring approval: its billed-ready cases wait for one.
        late_team = self.approval_team.copy(
            {"name": "Late adopter", "case_billing_approval_required": False}
        )
        never_asked = self._create_case(name="Never asked", team=late_team)
        self.assertTrue(never_asked.is_billable_now)
        late_team.case_billing_approval_required = True
        plain = self._create_case(name="Plain team")
        expected = {
            waiting: "Awaiting customer approval.",
            approved: None,
            rejected: "Rejected by customer: Too long",
            changed: "Customer approval required: time was logged after the approval.",
            expired: "Customer approval required: the last request expired unanswered.",
            review: "Awaiting customer approval: the time is reviewed internally",
            never_asked: "Customer approval required.",
            plain: None,
        }
        tickets = self.env["helpdesk.ticket"].concat(*expected)
        tickets.invalidate_recordset()
        blockers = tickets._get_billing_blockers()
        for ticket, reason in expected.items():
            if reason is None:
                self.assertNotIn(ticket.id, blockers, ticket.name)
                self.assertTrue(ticket.is_billable_now, ticket.name)
            else:
                self.assertEqual(len(blockers[ticket.id]), 1, (ticket.name, blockers[ticket.id]))
                code, text = blockers[ticket.id][0]
                self.assertIn(code, ("rejected", "awaiting_approval"))
                self.assertTrue(text.startswith(reason), blockers[ticket.id])
                self.assertIn(reason, ticket.billing_blockers)
        self.assertEqual(
            self._billable_ids(tickets), {t.id for t in tickets if t.id not in blockers}
        )
        not_billable = self.env["helpdesk.ticket"].search(
            [("id", "in", tickets.ids), ("is_billable_now", "=", False)]
        )
        self.assertEqual(set(not_billable.ids), set(blockers))

    def test_awaiting_approval_in_the_invoice_grid_and_the_unbilled_report(self):
        # The reason the approval module adds to the billing rule reaches the
        # Load helpdesk cases grid and the Unbilled revenue report.
        waiting = self._approval_case(name="Waiting")
        approved = self._approval_case(name="Approved")
        approved.customer_approval_ids._action_customer_decision("approve", None, self.contact)
        rows = {row["id"]: row for row in self._load_grid(self._create_invoice())}
        self.assertEqual(set(rows), {waiting.id, approved.id})
        self.assertFalse(rows[waiting.id]["is_billable_now"])
        self.assertEqual(rows[waiting.id]["billing_blockers"], "Awaiting customer approval.")
        self.assertTrue(rows[approved.id]["is_billable_now"])
        self.assertEqual(waiting.billing_block_reason, "awaiting_approval")
        self.assertEqual(
            self._unbilled_report_groups(waiting | approved),
            {"awaiting_approval": 1, "ready": 1},
        )

    def test_a_blocked_case_cannot_be_invoiced(self):
        ticket = self._approval_case()
        invoice = self._create_invoice()
        with self.assertRaisesRegex(UserError, "Awaiting customer approval"):
            invoice.action_add_helpdesk_cases(ticket.ids)
        ticket.customer_approval_ids._action_customer_decision("approve", None, self.contact)
        invoice.action_add_helpdesk_cases(ticket.ids)
        self.assertEqual(ticket.invoice_id, invoice)

    # ------------------------------------------------------------------
    # Lock of the approved time
    # ------------------------------------------------------------------

    def test_approved_time_lines_are_locked(self):
        ticket = self._approval_case(minutes=(20, 40))
        approval = ticket.customer_approval_ids
        line = ticket.timesheet_ids[0]
        line.unit_amount = 0.5  # before the answer: still editable
        approval._action_customer_decision("approve", None, self.contact)
        for vals in ({"unit_amount": 2.0}, {"name": "Other"}, {"ticket_id": False}):
            with self.assertRaisesRegex(UserError, "approved by the customer"):
                line.write(vals)
        with self.assertRaisesRegex(UserError, "approved by the customer"):
            ticket.timesheet_ids.unlink()
        self.assertEqual(line.unit_amount, 0.5)
        self.assertTrue(line.customer_approved)
        # New time is fine, and needs its own approval.
        extra = self._log_time(ticket, 15)
        self.assertFalse(extra.customer_approved)
        self.assertEqual(ticket.customer_approval_state, "changed")
        self._request_approval(ticket)
        new = ticket.customer_approval_ids - approval
        self.assertEqual(new.timesheet_ids, extra)
        extra.unit_amount = 0.5  # not approved yet
        new._action_customer_decision("approve", None, self.contact)
        self.assertTrue(ticket.is_billable_now, ticket.billing_blockers)

    def test_rejected_time_lines_stay_editable(self):
        ticket = self._approval_case()
        ticket.customer_approval_ids._action_customer_decision("reject", "Wrong", self.contact)
        ticket.timesheet_ids.write({"unit_amount": 0.1, "name": "Corrected"})
        ticket.timesheet_ids.unlink()
        self.assertFalse(ticket.timesheet_ids)

    # ------------------------------------------------------------------
    # Reminders and expiry
    # ------------------------------------------------------------------

    def test_cron_reminds_then_expires(self):
        start = fields.Datetime.now()
        ticket = self._approval_case()
        approval = ticket.customer_approval_ids
        recent = self._approval_case(name="Recent")
        reminder_xmlid = "helpdesk_case_billing_approval.mail_template_case_approval_reminder"
        Approval = self.Approval
        with freeze_time(start + timedelta(days=3)):
            Approval._cron_process_case_approvals()
            self.assertFalse(self._mails(approval, reminder_xmlid))
            self.assertFalse(Approval.search([("reminder_due", "=", True)]))
        with freeze_time(start + timedelta(days=8)):
            recent_request = recent.customer_approval_ids
            self.assertTrue(approval.reminder_due)
            both = approval | recent_request
            self.assertEqual(
                Approval.search([("reminder_due", "=", True), ("id", "in", both.ids)]), both
            )
            Approval._cron_process_case_approvals()
            self.assertEqual(len(self._mails(approval, reminder_xmlid)), 1)
            self.assertEqual(approval.reminder_count, 1)
            self.assertFalse(
                Approval.search([("reminder_due", "=", True), ("id", "=", approval.id)])
            )
        with freeze_time(start + timedelta(days=10)):
            Approval._cron_process_case_approvals()
            self.assertEqual(len(self._mails(approval, reminder_xmlid)), 1, "once a period")
        with freeze_time(start + timedelta(days=16)):
            Approval._cron_process_case_approvals()
            self.assertEqual(approval.reminder_count, 2)
        with freeze_time(start + timedelta(days=31)):
            Approval._cron_process_case_approvals()
            self.assertEqual(approval.state, "expired")
            self.assertEqual(ticket.customer_approval_state, "expired")
            self.assertIn("expired unanswered", ticket.billing_blockers)
            self.assertIn("expired without an answer", ticket.message_ids[0].body)
            with self.assertRaisesRegex(UserError, "expired"):
                approval._action_customer_decision("approve", None, self.contact)

    def test_cron_job_runs_the_processing(self):
        cron = self.env.ref("helpdesk_case_billing_approval.ir_cron_case_approvals")
        self.assertTrue(cron.active)
        approval = self._approval_case().customer_approval_ids
        with freeze_time(fields.Datetime.now() + timedelta(days=40)):
            cron.ir_actions_server_id.run()
            self.assertEqual(approval.state, "expired")

    def test_manual_reminder_only_for_long_pending_requests(self):
        approval = self._approval_case().customer_approval_ids
        with self.assertRaisesRegex(UserError, "more than 7 days"):
            approval.action_send_reminder()
        self.company.case_billing_approval_reminder_days = 2
        with freeze_time(fields.Datetime.now() + timedelta(days=3)):
            approval.action_send_reminder()
            self.assertEqual(approval.reminder_count, 1)
            reminders = self._mails(
                approval, "helpdesk_case_billing_approval.mail_template_case_approval_reminder"
            )
            self.assertEqual(len(reminders), 1)

    # ------------------------------------------------------------------
    # Settings
    # ------------------------------------------------------------------

    def test_settings_are_stored_on_the_company(self):
        settings = self.env["res.config.settings"].create(
            {
                "case_billing_approval_trigger": "after_review",
                "case_billing_approval_reminder_days": 3,
                "case_billing_approval_expiry_days": 14,
            }
        )
        settings.execute()
        self.assertEqual(self.env.company.case_billing_approval_trigger, "after_review")
        self.assertEqual(self.env.company.case_billing_approval_reminder_days, 3)
        self.assertEqual(self.env.company.case_billing_approval_expiry_days, 14)
        with self.assertRaisesRegex(ValidationError, "at least one day"):
            self.env.company.case_billing_approval_expiry_days = 0
        with self.assertRaisesRegex(ValidationError, "at least one day"):
            self.env.company.case_billing_approval_reminder_days = -1
        # A reminder after the expiry would never be sent.
        self.env.company.write(
            {"case_billing_approval_reminder_days": 3, "case_billing_approval_expiry_days": 14}
        )
        with self.assertRaises(ValidationError) as refused:
            self.env.company.case_billing_approval_reminder_days = 14
        self.assertIn("comes after 14 days, when the request has expired", str(refused.exception))
        self.assertEqual(self.env.company.case_billing_approval_reminder_days, 3)

    def test_the_expiry_follows_the_company_setting(self):
        self.company.write(
            {"case_billing_approval_reminder_days": 2, "case_billing_approval_expiry_days": 5}
        )
        approval = self._approval_case().customer_approval_ids
        self.assertEqual(approval.expiry_date - approval.sent_date, timedelta(days=5))

    # ------------------------------------------------------------------
    # Rights
    # ------------------------------------------------------------------

    def test_portal_users_see_only_their_customers_requests(self):
        portal_alice = self._new_user("hcb_appr_portal_alice", "base.group_portal")
        portal_alice.partner_id.parent_id = self.customer
        portal_bruno = self._new_user("hcb_appr_portal_bruno", "base.group_portal")
        portal_bruno.partner_id.parent_id = self.other_customer
        sent = self._approval_case().customer_approval_ids
        self.company.case_billing_approval_trigger = "after_review"
        draft = self._approval_case(name="Draft").customer_approval_ids
        self.assertEqual(self.Approval.with_user(portal_alice).search([]), sent)
        self.assertFalse(self.Approval.with_user(portal_bruno).search([]))
        with self.assertRaises(AccessError):
            sent.with_user(portal_bruno).check_access("read")
        with self.assertRaises(AccessError):
            draft.with_user(portal_alice).check_access("read")
        with self.assertRaises(AccessError):
            sent.with_user(portal_alice).write({"expiry_date": fields.Datetime.now()})
        with freeze_time(fields.Datetime.now() + timedelta(days=8)):
            with self.assertRaises(AccessError):
                sent.with_user(portal_alice).action_send_reminder()
        self.assertEqual(sent.reminder_count, 0)

    def test_helpdesk_users_see_the_requests_of_their_cases(self):
        own_user = self._new_user("hcb_appr_own", "helpdesk_mgmt.group_helpdesk_user_own")
        mine = self._approval_case(name="Mine", user_id=own_user.id).customer_approval_ids
        others = self._approval_case(name="Others", user_id=self.env.user.id).customer_approval_ids
        visible = self.Approval.with_user(own_user).search([("id", "in", (mine | others).ids)])
        self.assertEqual(visible, mine)
        billing_user = self._new_user(
            "hcb_appr_biller", "base.group_user,helpdesk_case_billing.group_case_billing"
        )
        visible = self.Approval.with_user(billing_user).search([("id", "in", (mine | others).ids)])
        self.assertEqual(visible, mine | others)

    def test_requests_of_another_company_are_hidden(self):
        other = self.setup_other_company(name="Other support company")["company"]
        project = self.env["project.project"].create(
            {"name": "Other support", "allow_timesheets": True, "company_id": other.id}
        )
        team = self.env["helpdesk.ticket.team"].create(
            {
                "name": "Other approved support",
                "company_id": other.id,
                "default_project_id": project.id,
                "case_billing_enabled": True,
                "case_billing_mode": "fixed",
                "case_billing_approval_required": True,
            }
        )
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Elsewhere",
                "description": "<p>Elsewhere</p>",
                "team_id": team.id,
                "partner_id": self.contact.id,
                "company_id": other.id,
            }
        )
        self._request_approval(ticket)
        approval = ticket.customer_approval_ids
        self.assertEqual(approval.company_id, other)
        user = self._new_user("hcb_appr_company1", "helpdesk_mgmt.group_helpdesk_manager")
        self.assertFalse(self.Approval.with_user(user).search([("id", "=", approval.id)]))


@tagged("post_install", "-at_install")
class TestCustomerApprovalPortal(CustomerApprovalCommon, HttpCase):
    """The portal page, as the holder of the link sees and uses it."""

    # The form's hidden input, or the page's script for pages without a form.
    CSRF = re.compile(r'csrf_token(?:" value=|: )"([^"]+)"')

    def setUp(self):
        super().setUp()
        self.ticket = self._approval_case(name="Scanner offline", minutes=(20, 25))
        self.ticket.timesheet_ids[0].name = "Replaced the network card"
        self.approval = self.ticket.customer_approval_ids

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def _post_decision(self, approval, decision, comment="", token=None, csrf=True):
        url = approval.sudo().get_portal_url()
        data = {
            "decision": decision,
            "comment": comment,
            "access_token": approval.sudo().access_token if token is None else token,
        }
        if csrf:
            page = self._get(url)
            self.assertEqual(page.status_code, 200, page.text[:500])
            data["csrf_token"] = self.CSRF.search(page.text).group(1)
        return self.url_open(
            f"/my/case-approval/{approval.id}/decide", data=data, allow_redirects=False
        )

    def assertNoCaseData(self, response):
        for secret in (
            self.ticket.name,
            self.ticket.number,
            "Replaced the network card",
            self.contact.name,
        ):
            self.assertNotIn(secret, response.text)

    def test_the_link_holder_sees_the_case_and_its_time(self):
        response = self._get(self.approval.sudo().get_portal_url())
        self.assertEqual(response.status_code, 200)
        text = response.text
        self.assertIn("Scanner offline", text)
        self.assertIn(self.ticket.number, text)
        self.assertIn("Replaced the network card", text)
        self.assertIn(self.employee.name, text)
        self.assertIn("00:45", text, "the total of 20 + 25 minutes")
        self.assertIn("Approve the time", text)
        self.assertIn("Reject the time", text)

    def test_a_wrong_token_gets_an_error_page_without_data(self):
        for url in (
            f"/my/case-approval/{self.approval.id}?access_token=not-the-token",
            f"/my/case-approval/{self.approval.id}",
            f"/my/case-approval/{self.approval.id}"
            f"?access_token={self.approval.sudo().access_token[:-1]}x",
            f"/my/case-approval/999999?access_token={self.approval.sudo().access_token}",
        ):
            response = self._get(url)
            self.assertEqual(response.status_code, 404, url)
            self.assertIn("This approval link is not valid", response.text)
            self.assertNoCaseData(response)

    def test_another_customers_token_opens_nothing(self):
        other_ticket = self._create_case(
            name="Other customer's case", team=self.approval_team, partner=self.other_contact
        )
        other = other_ticket.customer_approval_ids
        response = self._get(
            f"/my/case-approval/{self.approval.id}?access_token={other.sudo().access_token}"
        )
        self.assertEqual(response.status_code, 404)
        self.assertNoCaseData(response)
        response = self._post_decision(self.approval, "approve", token=other.sudo().access_token)
        self.assertEqual(response.status_code, 404)
        self.assertNoCaseData(response)
        self.assertEqual(self.approval.state, "sent")

    def test_an_expired_request_shows_no_data(self):
        with freeze_time(fields.Datetime.now() + timedelta(days=31)):
            response = self._get(self.approval.sudo().get_portal_url())
            self.assertEqual(response.status_code, 410)
            self.assertIn("This approval request has expired", response.text)
            self.assertNoCaseData(response)
        self.assertEqual(self.approval.state, "sent", "viewing changes nothing")

    def test_an_expired_request_cannot_be_answered(self):
        page = self._get(self.approval.sudo().get_portal_url())
        csrf = self.CSRF.search(page.text).group(1)
        # Past its date, before the scheduled action marked it expired.
        self.approval.expiry_date = fields.Datetime.now() - timedelta(minutes=1)
        response = self.url_open(
            f"/my/case-approval/{self.approval.id}/decide",
            data={
                "decision": "approve",
                "access_token": self.approval.sudo().access_token,
                "csrf_token": csrf,
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 410)
        self.assertNoCaseData(response)
        self.assertEqual(self.approval.state, "expired")

    def test_a_request_under_review_is_not_shown(self):
        self.company.case_billing_approval_trigger = "after_review"
        draft = self._approval_case(name="Under review").customer_approval_ids
        token = draft._portal_ensure_token()
        response = self._get(f"/my/case-approval/{draft.id}?access_token={token}")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Under review", response.text)

    def test_approve_on_the_portal(self):
        response = self._post_decision(self.approval, "approve", "All good")
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertIn("message=approved", response.headers["Location"])
        self.assertEqual(self.approval.state, "approved")
        self.assertEqual(self.approval.decided_by_partner_id, self.contact)
        self.assertEqual(self.approval.comment, "All good")
        self.assertTrue(self.ticket.is_billable_now, self.ticket.billing_blockers)
        confirmation = self._mails(
            self.approval, "helpdesk_case_billing_approval.mail_template_case_approval_confirmed"
        )
        self.assertEqual(len(confirmation.attachment_ids), 1)
        page = self._get(response.headers["Location"])
        self.assertIn("you approved the time", page.text)
        self.assertIn("Approved", page.text)
        self.assertNotIn("Reject the time", page.text)

    def test_dates_are_in_the_customers_time_zone(self):
        self.contact.tz = "Pacific/Auckland"
        self._post_decision(self.approval, "approve")
        # 22:30 UTC on 20 November is 11:30 on 21 November in Auckland.
        # The workflow fields are not writable through the ORM.
        self.env.cr.execute(
            "UPDATE helpdesk_ticket_approval SET decision_date = %s WHERE id = %s",
            (datetime(2026, 11, 20, 22, 30), self.approval.id),
        )
        self.approval.invalidate_recordset(["decision_date"])
        page = self._get(self.approval.sudo().get_portal_url())
        self.assertIn("11/21/2026 11:30", page.text)
        self.assertNotIn("11/20/2026", page.text)

    def test_reject_on_the_portal_needs_a_comment(self):
        response = self._post_decision(self.approval, "reject", "   ")
        self.assertEqual(response.status_code, 400)
        self.assertIn("a comment is required to reject it", response.text)
        self.assertEqual(self.approval.state, "sent")
        response = self._post_decision(self.approval, "reject", "The second line is not ours.")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.approval.state, "rejected")
        self.assertEqual(self.approval.comment, "The second line is not ours.")
        self.assertIn(
            "Rejected by customer: The second line is not ours.", self.ticket.billing_blockers
        )

    def test_a_post_without_csrf_token_is_refused(self):
        response = self._post_decision(self.approval, "approve", csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.approval.state, "sent")

    def test_the_customers_portal_user_needs_no_token(self):
        portal_alice = self._new_user("hcb_appr_portal_http", "base.group_portal")
        portal_alice.partner_id.parent_id = self.customer
        self.authenticate(portal_alice.login, portal_alice.login)
        response = self._get(f"/my/case-approval/{self.approval.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Replaced the network card", response.text)
        listing = self._get("/my/case-approvals")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(self.approval.name, listing.text)
        response = self._post_decision(self.approval, "approve", token="")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.approval.decided_by_partner_id, portal_alice.partner_id)

    def test_another_customers_portal_user_sees_nothing(self):
        portal_bruno = self._new_user("hcb_appr_portal_other", "base.group_portal")
        portal_bruno.partner_id.parent_id = self.other_customer
        self.authenticate(portal_bruno.login, portal_bruno.login)
        response = self._get(f"/my/case-approval/{self.approval.id}")
        self.assertEqual(response.status_code, 404)
        self.assertNoCaseData(response)
        listing = self._get("/my/case-approvals")
        self.assertNotIn(self.approval.name, listing.text)

    def test_employees_preview_but_do_not_answer(self):
        self.authenticate(self.leader.login, self.leader.login)
        response = self._get(f"/my/case-approval/{self.approval.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Only the customer can answer it", response.text)
        self.assertNotIn("Reject the time", response.text)
        response = self._post_decision(self.approval, "approve")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.approval.state, "sent")
