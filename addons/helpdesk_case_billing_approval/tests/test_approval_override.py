# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import timedelta

from freezegun import freeze_time
from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, tagged
from odoo.tools import html2plaintext

from odoo.addons.helpdesk_case_billing.tests.test_security import SecurityOverRpcCommon

from .test_customer_approval import CustomerApprovalCommon

WIZARD = "helpdesk.ticket.approval.override"


class ApprovalOverrideCommon(CustomerApprovalCommon):
    """A user who bills and a helpdesk user who does not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.biller = cls._new_user(
            "hcb_ovr_biller",
            "helpdesk_mgmt.group_helpdesk_user,helpdesk_case_billing.group_case_billing",
        )
        cls.agent = cls._new_user("hcb_ovr_agent", "helpdesk_mgmt.group_helpdesk_user")

    def _invoice_anyway(self, ticket, reason, user=None):
        """Click Invoice anyway on the case, give the reason, confirm."""
        user = user or self.biller
        action = ticket.with_user(user).action_open_customer_approval_override()
        self.assertEqual((action["res_model"], action["target"]), (WIZARD, "new"))
        wizard = Form(self.env[WIZARD].with_user(user).with_context(**action["context"]))
        wizard.reason = reason
        return wizard.save().action_confirm()

    def _override_notes(self, ticket):
        return ticket.message_ids.filtered(
            lambda m: "Billed without the customer's answer" in html2plaintext(m.body or "")
        )


@tagged("post_install", "-at_install")
class TestApprovalOverride(ApprovalOverrideCommon):
    def test_invoice_anyway_lets_the_case_be_invoiced(self):
        ticket = self._approval_case(minutes=(20, 25))
        approval = ticket.customer_approval_ids
        self.assertEqual(ticket.customer_approval_state, "waiting")
        self.assertFalse(ticket.is_billable_now)
        self.assertIn("Awaiting customer approval.", ticket.billing_blockers)

        result = self._invoice_anyway(ticket, "The customer is on leave until March.")
        self.assertEqual(result, {"type": "ir.actions.act_window_close"})
        self.assertEqual(approval.state, "overridden")
        self.assertEqual(approval.override_user_id, self.biller)
        self.assertEqual(approval.override_reason, "The customer is on leave until March.")
        self.assertTrue(approval.override_date)
        self.assertFalse(approval.decided_by_partner_id, "the customer did not answer")
        self.assertEqual(ticket.customer_approval_state, "overridden")
        self.assertTrue(ticket.is_billable_now, ticket.billing_blockers)
        self.assertFalse(ticket.billing_blockers)
        self.assertEqual(self._billable_ids(ticket), {ticket.id})
        self.assertEqual(ticket.billing_block_reason, "ready")

        # The chatter of the case says why, and who.
        note = self._override_notes(ticket)
        self.assertEqual(len(note), 1)
        text = html2plaintext(note.body)
        self.assertIn(
            "Billed without the customer's answer: The customer is on leave until March.", text
        )
        self.assertIn(approval.name, text)
        self.assertIn(self.biller.name, text)
        self.assertEqual(note.author_id, self.biller.partner_id)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))

        # Billed through the core's Create invoices, to the cent: 45 minutes
        # are 3 units of 15 minutes at 80.00 an hour.
        action = ticket.with_user(self.biller).action_create_invoices()
        invoice = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(ticket.invoice_id, invoice)
        line = invoice.invoice_line_ids.filtered("helpdesk_ticket_id")
        self.assertEqual(line.helpdesk_ticket_id, ticket)
        self.assertEqual(line.quantity, 3)
        self.assertEqual(line.price_unit, 20.0)
        self.assertEqual(line.price_subtotal, 60.0)
        self.assertEqual(invoice.amount_untaxed, 60.0)
        self.assertEqual(self.tax_sale_a.amount_type, "percent")
        tax = invoice.currency_id.round(60.0 * self.tax_sale_a.amount / 100)
        self.assertEqual(line.tax_ids, self.tax_sale_a)
        self.assertEqual(invoice.amount_tax, tax)
        self.assertEqual(invoice.amount_total, 60.0 + tax)

    def test_the_reason_is_required(self):
        ticket = self._approval_case()
        for empty in ("", "  \n "):
            with self.assertRaisesRegex(UserError, "a reason is required"):
                ticket.with_user(self.biller)._override_customer_approval(empty)
        Wizard = self.env[WIZARD].with_user(self.biller)
        wizard = Form(Wizard.with_context(default_ticket_id=ticket.id))
        with self.assertRaises(AssertionError):
            wizard.save()  # the form requires the reason
        self.assertEqual(ticket.customer_approval_ids.state, "sent")
        self.assertFalse(ticket.is_billable_now)

    def test_a_rejected_case_is_refused(self):
        ticket = self._approval_case()
        approval = ticket.customer_approval_ids
        approval._action_customer_decision("reject", "Only 15 minutes were needed.", self.contact)
        as_biller = ticket.with_user(self.biller)
        with self.assertRaisesRegex(UserError, "rejected the time of case"):
            as_biller.action_open_customer_approval_override()
        with self.assertRaisesRegex(UserError, "rejected the time of case"):
            as_biller._override_customer_approval("Billed anyway")
        wizard = self.env[WIZARD].with_user(self.biller).create(
            {"ticket_id": ticket.id, "reason": "Billed anyway"}
        )
        with self.assertRaisesRegex(UserError, "rejected the time of case"):
            wizard.action_confirm()
        # The rejected request itself cannot be closed either.
        with self.assertRaisesRegex(UserError, "not waiting for the customer's answer"):
            approval.with_user(self.biller)._action_override("Billed anyway")
        self.assertEqual(approval.state, "rejected")
        self.assertFalse(approval.override_user_id)
        self.assertFalse(ticket.is_billable_now)
        self.assertFalse(self._billable_ids(ticket))
        self.assertFalse(self._override_notes(ticket))
        with self.assertRaisesRegex(UserError, "Rejected by customer"):
            as_biller.action_create_invoices()

    def test_a_case_without_pending_request_is_refused(self):
        plain = self._create_case(name="Team without approval")
        approved = self._approval_case(name="Approved")
        approved.customer_approval_ids._action_customer_decision("approve", None, self.contact)
        expired = self._approval_case(name="Expired")
        expired.customer_approval_ids._expire()
        overridden = self._approval_case(name="Billed without answer")
        self._invoice_anyway(overridden, "Agreed on the phone")
        self.company.case_billing_approval_trigger = "after_review"
        review = self._approval_case(name="Under review")
        expected = {
            plain: "Not requested",
            approved: "Approved by the customer",
            expired: "Request expired",
            overridden: "Billed without the customer's answer",
            review: "Time to review",
        }
        for ticket, state in expected.items():
            as_biller = ticket.with_user(self.biller)
            with self.subTest(case=ticket.name):
                message = rf"no approval request waiting .*\({re.escape(state)}\)"
                with self.assertRaisesRegex(UserError, message):
                    as_biller.action_open_customer_approval_override()
                with self.assertRaisesRegex(UserError, message):
                    as_biller._override_customer_approval("Once more")
        self.assertEqual(len(self._override_notes(overridden)), 1, "overridden once")
        self.assertEqual(
            review.customer_approval_ids.state, "draft", "a request under review is reviewed"
        )

    def test_a_user_without_the_billing_right_is_refused(self):
        ticket = self._approval_case()
        as_agent = ticket.with_user(self.agent)
        self.assertTrue(as_agent.has_access("read"))
        with self.assertRaisesRegex(AccessError, "Helpdesk: bill cases"):
            as_agent.action_open_customer_approval_override()
        with self.assertRaisesRegex(AccessError, "Helpdesk: bill cases"):
            as_agent._override_customer_approval("I say so")
        with self.assertRaisesRegex(AccessError, "Helpdesk: bill cases"):
            ticket.customer_approval_ids.with_user(self.agent)._action_override("I say so")
        with self.assertRaises(AccessError):
            self.env[WIZARD].with_user(self.agent).create(
                {"ticket_id": ticket.id, "reason": "I say so"}
            )
        # Nor through the fields of the request.
        with self.assertRaisesRegex(UserError, "only through its buttons"):
            ticket.customer_approval_ids.with_user(self.agent).write(
                {"state": "overridden", "override_reason": "I say so"}
            )
        self.assertEqual(ticket.customer_approval_ids.state, "sent")
        self.assertFalse(ticket.is_billable_now)

    def test_the_customer_cannot_answer_after_the_override(self):
        ticket = self._approval_case()
        approval = ticket.customer_approval_ids
        self._invoice_anyway(ticket, "Agreed on the phone")
        for decision, comment in (("approve", None), ("reject", "Too long")):
            with self.assertRaisesRegex(UserError, "closed without your answer"):
                approval.sudo()._action_customer_decision(decision, comment, self.contact)
        self.assertEqual(approval.state, "overridden")
        self.assertFalse(approval.decided_by_partner_id)
        self.assertTrue(ticket.is_billable_now)

    def test_the_customer_answered_first(self):
        # The customer's answer and Invoice anyway at the same moment: the
        # first one wins, the second is refused.
        ticket = self._approval_case()
        wizard = self.env[WIZARD].with_user(self.biller).create(
            {"ticket_id": ticket.id, "reason": "No answer"}
        )
        ticket.customer_approval_ids._action_customer_decision("approve", None, self.contact)
        with self.assertRaisesRegex(UserError, r"\(Approved by the customer\)"):
            wizard.action_confirm()
        self.assertEqual(ticket.customer_approval_ids.state, "approved")
        self.assertFalse(self._override_notes(ticket))

    def test_no_reminder_nor_expiry_after_the_override(self):
        ticket = self._approval_case()
        approval = ticket.customer_approval_ids
        self._invoice_anyway(ticket, "Agreed on the phone")
        with freeze_time(fields.Datetime.now() + timedelta(days=40)):
            self.assertFalse(approval.reminder_due)
            self.Approval._cron_process_case_approvals()
            self.assertEqual(approval.state, "overridden")
            self.assertEqual(approval.reminder_count, 0)
        self.assertTrue(ticket.is_billable_now)

    def test_the_time_billed_without_answer_is_locked(self):
        ticket = self._approval_case(minutes=(20, 25))
        self._invoice_anyway(ticket, "Agreed on the phone")
        line = ticket.timesheet_ids[0]
        with self.assertRaisesRegex(UserError, "billed without the customer's answer"):
            line.unit_amount = 2.0
        with self.assertRaisesRegex(UserError, "billed without the customer's answer"):
            line.unlink()
        # Time logged afterwards was never decided on: the case waits again.
        later = self._log_time(ticket, 10)
        self.assertEqual(ticket.customer_approval_state, "changed")
        self.assertFalse(ticket.is_billable_now)
        self.assertIn("time was logged after the approval", ticket.billing_blockers)
        self._request_approval(ticket)
        new = ticket.customer_approval_ids.filtered(lambda a: a.state == "sent")
        self.assertEqual(new.timesheet_ids, later, "only the new time is asked for")

    def test_billable_search_agrees_with_the_blockers(self):
        waiting = self._approval_case(name="Waiting")
        overridden = self._approval_case(name="Billed without answer")
        self._invoice_anyway(overridden, "Agreed on the phone")
        rejected = self._approval_case(name="Rejected")
        rejected.customer_approval_ids._action_customer_decision("reject", "No", self.contact)
        approved = self._approval_case(name="Approved")
        approved.customer_approval_ids._action_customer_decision("approve", None, self.contact)
        changed = self._approval_case(name="Time after the override")
        self._invoice_anyway(changed, "Agreed on the phone")
        self._log_time(changed, 10)
        # An override does not lift the other reasons: an open case stays blocked.
        reopened = self._approval_case(name="Reopened")
        self._invoice_anyway(reopened, "Agreed on the phone")
        reopened.stage_id = self.stage_in_progress
        tickets = waiting | overridden | rejected | approved | changed | reopened
        tickets.invalidate_recordset()
        blockers = tickets._get_billing_blockers()
        self.assertEqual(set(blockers), {waiting.id, rejected.id, changed.id, reopened.id})
        self.assertEqual(
            [code for code, _text in blockers[reopened.id]], ["open"], blockers[reopened.id]
        )
        billable = self.env["helpdesk.ticket"].search(
            [("id", "in", tickets.ids), ("is_billable_now", "=", True)]
        )
        not_billable = self.env["helpdesk.ticket"].search(
            [("id", "in", tickets.ids), ("is_billable_now", "=", False)]
        )
        self.assertEqual(billable, overridden | approved)
        self.assertEqual(set(not_billable.ids), set(blockers))
        for ticket in tickets:
            self.assertEqual(ticket.is_billable_now, ticket.id not in blockers, ticket.name)

    def test_invoice_anyway_is_offered_to_billers_while_the_customer_is_asked(self):
        xpath = "//header/button[@name='action_open_customer_approval_override']"
        for user, shown in ((self.biller, True), (self.agent, False)):
            views = self.env["helpdesk.ticket"].with_user(user).get_views([(False, "form")])
            buttons = etree.fromstring(views["views"]["form"]["arch"]).xpath(xpath)
            with self.subTest(user=user.login):
                self.assertEqual(len(buttons), 1 if shown else 0)
                if shown:
                    self.assertEqual(buttons[0].get("string"), "Invoice anyway")
                    self.assertIn(
                        "customer_approval_state != 'waiting'", buttons[0].get("invisible")
                    )


@tagged("post_install", "-at_install")
class TestApprovalOverridePortal(ApprovalOverrideCommon, HttpCase):
    """What the customer's link shows once the case was billed without the
    answer: the request is closed, an answer is refused with a clear message."""

    CSRF = re.compile(r'csrf_token(?:" value=|: )"([^"]+)"')

    def test_an_answer_after_the_override_is_refused(self):
        ticket = self._approval_case(name="Scanner offline")
        approval = ticket.customer_approval_ids
        url = approval.sudo().get_portal_url()
        page = self.url_open(url, allow_redirects=False)
        self.assertIn("Approve the time", page.text)
        csrf = self.CSRF.search(page.text).group(1)

        self._invoice_anyway(ticket, "Agreed on the phone")

        # The customer sends the form they opened before.
        response = self.url_open(
            f"/my/case-approval/{approval.id}/decide",
            data={
                "decision": "approve",
                "access_token": approval.sudo().access_token,
                "csrf_token": csrf,
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("This approval request was closed without your answer", response.text)
        self.assertEqual(approval.state, "overridden")
        self.assertFalse(approval.decided_by_partner_id)
        # The page says so, offers no answer, and keeps the reason internal.
        page = self.url_open(url, allow_redirects=False)
        self.assertEqual(page.status_code, 200)
        self.assertIn("This request was closed without your answer", page.text)
        self.assertIn("Billed without your answer", page.text)
        self.assertNotIn("Approve the time", page.text)
        self.assertNotIn("Agreed on the phone", page.text)


@tagged("post_install", "-at_install")
class TestApprovalOverrideOverRpc(SecurityOverRpcCommon):
    """Invoice anyway through JSON-RPC, as Odoo's web client sends it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.case_billing_approval_trigger = "on_close"
        cls.contact.email = "alice@acme.example"
        cls.approval_team = cls.team.copy(
            {"name": "Approved support", "case_billing_approval_required": True}
        )
        cls.approval_team.user_ids = [Command.set((cls.agent_team | cls.env.user).ids)]

    def test_invoice_anyway_over_rpc(self):
        case = self._create_case(team=self.approval_team)
        approval = case.customer_approval_ids
        self.assertEqual(approval.state, "sent")
        # A helpdesk agent of the team, without the billing right.
        reply = self._call(
            self.agent_team, "helpdesk.ticket", "action_open_customer_approval_override", case.ids
        )
        self.assertRefused(reply, message="Helpdesk: bill cases")
        reply = self._call(
            self.agent_team, WIZARD, "create", [{"ticket_id": case.id, "reason": "I say so"}]
        )
        self.assertRefused(reply)
        reply = self._call(
            self.agent_team,
            "helpdesk.ticket.approval",
            "write",
            approval.ids,
            {"state": "overridden"},
        )
        self.assertRefused(reply, error="UserError", message="only through its buttons")
        # The private method is not reachable from outside, even for a biller.
        reply = self._call(
            self.biller, "helpdesk.ticket", "_override_customer_approval", case.ids, "No answer"
        )
        self.assertRefused(reply)
        approval.invalidate_recordset()
        self.assertEqual(approval.state, "sent")
        # The biller: the button, the wizard, its confirmation.
        action = self.assertAccepted(
            self._call(
                self.biller, "helpdesk.ticket", "action_open_customer_approval_override", case.ids
            )
        )
        wizard_id = self.assertAccepted(
            self._call(
                self.biller,
                WIZARD,
                "create",
                [{"reason": "Agreed on the phone"}],
                context=action["context"],
            )
        )
        self.assertAccepted(self._call(self.biller, WIZARD, "action_confirm", wizard_id))
        approval.invalidate_recordset()
        case.invalidate_recordset()
        self.assertEqual(approval.state, "overridden")
        self.assertEqual(approval.override_user_id, self.biller)
        self.assertTrue(case.is_billable_now, case.billing_blockers)
