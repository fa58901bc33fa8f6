# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
from contextlib import contextmanager
from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, TransactionCase, tagged

from odoo.addons.helpdesk_case_billing.models.helpdesk_case_billing_run import (
    HelpdeskCaseBillingRun,
)

from .common import CaseBillingCommon, JsonRpcMixin


class Interrupted(BaseException):
    """The process stops in the middle of a customer (as a kill would)."""


class BillingRunCommon(CaseBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tax_sale_a.amount = 21.0
        cls.cases_acme = cls._create_case("Printer broken", minutes=(20,)) | cls._create_case(
            "Mail down", minutes=(7,)
        )
        cls.cases_bright = cls._create_case(
            "Scanner jam", minutes=(50,), partner=cls.other_customer
        ) | cls._create_case("VPN", minutes=(61,), partner=cls.other_customer)

    def _new_run(self, **values):
        return self.env["helpdesk.case.billing.run"].create(
            {
                "partner_ids": [Command.set((self.customer | self.other_customer).ids)],
                "closed_until": fields.Date.today(),
                **values,
            }
        )

    @contextmanager
    def _cron_chunks(self, limit=None):
        """Let the cron method run in the test transaction: its commits become
        no-ops, and it may be told to stop after ``limit`` customers, as when
        its time is up."""
        calls = {"chunks": 0}

        def commit_progress(cron_self, processed=0, *, remaining=None, deactivate=False):
            calls["chunks"] += processed
            cron_self.env.flush_all()
            return 0 if limit is not None and calls["chunks"] >= limit else float("inf")

        with patch.object(type(self.env["ir.cron"]), "_commit_progress", commit_progress):
            yield calls

    def _process(self, limit=None):
        with self._cron_chunks(limit):
            self.env["helpdesk.case.billing.run"]._cron_process_billing_runs()

    def _invoices_of(self, tickets):
        lines = self.env["account.move.line"].search([("helpdesk_ticket_id", "in", tickets.ids)])
        return lines.move_id


@tagged("post_install", "-at_install")
class TestBillingRun(BillingRunCommon):
    def test_preview_amounts_are_the_invoices_amounts(self):
        run = self._new_run()
        run.action_preview()
        self.assertEqual(run.state, "previewed")
        self.assertEqual((run.customer_count, run.case_count, len(run.line_ids)), (2, 4, 2))
        acme, bright = run.line_ids.sorted(lambda line: line.partner_id.name)
        # 20 min = 2 units and 7 min = 1 unit of 15 min at 80.00 an hour.
        self.assertEqual(acme.partner_id, self.customer)
        self.assertEqual(acme.ticket_ids, self.cases_acme)
        self.assertAlmostEqual(acme.billed_hours, 0.75)
        self.assertIn("2 × 15 min", acme.case_summary)
        self.assertIn("1 × 15 min", acme.case_summary)
        self.assertEqual(
            (acme.amount_untaxed, acme.amount_tax, acme.amount_total), (60.00, 12.60, 72.60)
        )
        # 50 min = 4 units, 61 min = 5 units: 9 × 20.00.
        self.assertEqual(
            (bright.amount_untaxed, bright.amount_tax, bright.amount_total), (180.00, 37.80, 217.80)
        )
        self.assertEqual(run.amount_untaxed, 240.00)
        # Case by case: time spent, billing units and the amount of its line.
        self.assertEqual(
            [
                (c.ticket_id, round(c.spent_hours * 60), c.unit_label, c.billed_hours, c.amount_untaxed)
                for c in run.case_ids.sorted(lambda c: c.ticket_id.id)
            ],
            [
                (self.cases_acme[0], 20, "2 × 15 min", 0.5, 40.00),
                (self.cases_acme[1], 7, "1 × 15 min", 0.25, 20.00),
                (self.cases_bright[0], 50, "4 × 15 min", 1.0, 80.00),
                (self.cases_bright[1], 61, "5 × 15 min", 1.25, 100.00),
            ],
        )
        self.assertEqual(acme.case_ids.ticket_id, self.cases_acme)
        # Nothing was billed by the preview.
        self.assertFalse((self.cases_acme | self.cases_bright).invoice_id)
        self.assertFalse(self._invoices_of(self.cases_acme | self.cases_bright))

        run.action_start()
        self.assertEqual(run.state, "running")
        self._process()
        self.assertEqual(run.state, "done")
        self.assertEqual(len(run.invoice_ids), 2)
        for line in run.line_ids:
            self.assertEqual(line.state, "done")
            invoice = line.invoice_id
            self.assertEqual(invoice.state, "draft")
            self.assertEqual(
                (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total),
                (line.amount_untaxed, line.amount_tax, line.amount_total),
            )
            self.assertEqual(invoice.line_ids.helpdesk_ticket_id, line.ticket_ids)
            for case in line.case_ids:
                self.assertEqual(
                    invoice.invoice_line_ids.filtered(
                        lambda l, t=case.ticket_id: l.helpdesk_ticket_id == t
                    ).price_subtotal,
                    case.amount_untaxed,
                )
        self.assertEqual(run.amount_untaxed, 240.00)
        self.assertEqual((run.cases_done, run.progress), (4, 100.0))
        # The user is told the run is over.
        message = run.message_ids.filtered(lambda m: m.message_type == "comment")[:1]
        self.assertIn(self.env.user.partner_id, message.partner_ids)
        self.assertIn("2 invoices made for 4 cases", message.body)

    @patch.object(HelpdeskCaseBillingRun, "_chunk_customers", 1)
    def test_large_preview_is_built_in_the_background(self):
        # Above the limit of invoices a web request builds (1 here, 50 as shipped).
        with patch.object(HelpdeskCaseBillingRun, "_preview_inline_limit", 1):
            run = self._new_run()
            run.action_preview()
        self.assertEqual(run.state, "previewing")
        self.assertEqual((run.customer_count, run.case_count, len(run.line_ids)), (2, 4, 2))
        self.assertEqual(run.line_ids.mapped("preview_done"), [False, False])
        self.assertEqual(run.amount_untaxed, 0.0)
        with self.assertRaises(UserError):
            run.action_start()
        # One customer per chunk; the first call's time is up after one.
        self._process(limit=1)
        acme, bright = run.line_ids.sorted(lambda line: line.partner_id.name)
        self.assertEqual((run.state, run.cases_previewed, run.progress), ("previewing", 2, 50.0))
        self.assertEqual((acme.preview_done, bright.preview_done), (True, False))
        self._process()
        self.assertEqual(run.state, "previewed")
        self.assertEqual(
            (acme.amount_untaxed, acme.amount_tax, acme.amount_total), (60.00, 12.60, 72.60)
        )
        self.assertEqual(
            (bright.amount_untaxed, bright.amount_tax, bright.amount_total), (180.00, 37.80, 217.80)
        )
        self.assertEqual(run.amount_untaxed, 240.00)
        self.assertEqual(
            sorted(run.case_ids.mapped("amount_untaxed")), [20.00, 40.00, 80.00, 100.00]
        )
        self.assertFalse((self.cases_acme | self.cases_bright).invoice_id)
        self.assertFalse(self._invoices_of(self.cases_acme | self.cases_bright))
        message = run.message_ids.filtered(lambda m: m.message_type == "comment")[:1]
        self.assertIn("Preview ready: 2 invoices for 4 cases.", message.body)
        # Started from the preview, the run bills what the preview showed.
        run.action_start()
        self._process()
        self.assertEqual(run.state, "done")
        self.assertEqual(sorted(run.invoice_ids.mapped("amount_total")), [72.60, 217.80])

    def test_every_case_billed_once_posted_with_date(self):
        run = self._new_run(invoice_state="posted", invoice_date="2026-11-30")
        run.action_preview()
        run.action_start()
        self._process()
        self._process()
        cases = self.cases_acme | self.cases_bright
        for case in cases:
            lines = self.env["account.move.line"].search([("helpdesk_ticket_id", "=", case.id)])
            self.assertEqual(len(lines), 1, case.name)
            self.assertEqual(case.invoice_id, lines.move_id)
        self.assertEqual(run.invoice_ids.mapped("state"), ["posted", "posted"])
        self.assertEqual(set(run.invoice_ids.mapped("invoice_date")), {fields.Date.to_date("2026-11-30")})

    def test_its_user_is_told_when_the_run_ends(self):
        run = self._new_run()
        run.action_preview()
        run.action_start()
        Bus = self.env["bus.bus"].sudo()
        Bus.search([]).unlink()
        self._process()
        # Bus notifications are written when the transaction commits.
        self.env.cr.precommit.run()
        popups = [
            (json.loads(bus.channel), json.loads(bus.message)["payload"])
            for bus in Bus.search([])
            if json.loads(bus.message)["type"] == "simple_notification"
        ]
        self.assertEqual(len(popups), 1, popups)
        channel, payload = popups[0]
        self.assertEqual(channel[1:3], ["res.partner", self.env.user.partner_id.id])
        self.assertEqual(
            payload,
            {
                "type": "success",
                "title": run.name,
                "message": "Billing run finished: 2 invoices made for 4 cases.",
                "sticky": False,
            },
        )

    def test_posted_invoices_are_queued_for_sending(self):
        send_cron = self.env.ref("account.ir_cron_account_move_send")
        run = self._new_run(invoice_state="posted", send_invoices=True)
        run.action_preview()
        send_cron.active = False
        with self.assertRaisesRegex(UserError, "Send invoices automatically"):
            run.action_start()
        self.assertEqual(run.state, "previewed")
        send_cron.active = True
        run.action_start()
        self.env["ir.cron.trigger"].search([("cron_id", "=", send_cron.id)]).unlink()
        self._process()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.invoice_ids.mapped("state"), ["posted", "posted"])
        for invoice in run.invoice_ids:
            self.assertEqual(invoice.sending_data["author_user_id"], self.env.user.id)
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", send_cron.id)]))

    def test_one_invoice_per_customer_and_team(self):
        second = self.team.copy({"name": "Second line", "case_billing_unit_minutes": 15})
        second.case_billing_enabled = True
        other_team_case = self._create_case("Backup", minutes=(15,), team=second)
        run = self._new_run(grouping="customer_team")
        run.action_preview()
        self.assertFalse(run.skip_ids.reason)
        self.assertEqual(len(run.line_ids), 3)
        self.assertEqual(run.customer_count, 2)
        run.action_start()
        self._process()
        self.assertEqual(len(run.invoice_ids), 3)
        self.assertEqual(other_team_case.invoice_id.line_ids.helpdesk_ticket_id, other_team_case)
        self.assertEqual(other_team_case.invoice_id.amount_untaxed, 20.00)
        self.assertEqual(len(self.cases_acme.invoice_id), 1)
        self.assertNotEqual(self.cases_acme.invoice_id, other_team_case.invoice_id)

    def test_case_billed_by_hand_after_the_preview_is_left_out(self):
        run = self._new_run()
        run.action_preview()
        self.assertFalse(run.skip_ids)
        by_hand = self.cases_acme[0]
        by_hand.action_create_invoices()
        hand_invoice = by_hand.invoice_id
        # Every case of the second customer billed by hand too: no empty invoice.
        self.cases_bright.action_create_invoices()
        run.action_start()
        self._process()
        self.assertEqual(run.state, "done")
        skipped = run.skip_ids.filtered("during_run")
        self.assertEqual(skipped.ticket_id, by_hand | self.cases_bright)
        self.assertIn("Already invoiced on", skipped.filtered(lambda s: s.ticket_id == by_hand).reason)
        acme, bright = run.line_ids.sorted(lambda line: line.partner_id.name)
        self.assertEqual(bright.state, "skipped")
        self.assertFalse(bright.invoice_id)
        self.assertEqual(acme.invoice_id.line_ids.helpdesk_ticket_id, self.cases_acme[1])
        self.assertEqual(acme.invoice_id.amount_untaxed, 20.00)
        self.assertEqual(by_hand.invoice_id, hand_invoice)
        self.assertEqual(run.invoice_ids, acme.invoice_id)
        self.assertEqual(run.amount_untaxed, 20.00)

    def test_two_runs_over_the_same_cases_bill_each_case_once(self):
        first = self._new_run()
        second = self._new_run(partner_ids=[Command.set(self.customer.ids)])
        first.action_preview()
        second.action_preview()
        self.assertEqual(second.line_ids.ticket_ids, self.cases_acme)
        first.action_start()
        second.action_start()
        self._process()
        self.assertEqual((first.state, second.state), ("done", "done"))
        self.assertEqual(len(first.invoice_ids), 2)
        self.assertFalse(second.invoice_ids)
        self.assertEqual(second.line_ids.state, "skipped")
        self.assertEqual(second.skip_ids.filtered("during_run").ticket_id, self.cases_acme)
        for skip in second.skip_ids:
            self.assertIn("Already invoiced on", skip.reason)
        for case in self.cases_acme | self.cases_bright:
            self.assertEqual(len(self._invoices_of(case)), 1, case.name)

    @patch.object(HelpdeskCaseBillingRun, "_chunk_customers", 1)
    def test_interrupted_run_resumes_without_duplicates(self):
        run = self._new_run()
        run.action_preview()
        run.action_start()
        acme, bright = run.line_ids.sorted(lambda line: line.partner_id.name)
        # The first call's time is up after one customer.
        self._process(limit=1)
        self.assertEqual((acme.state, bright.state), ("done", "pending"))
        self.assertEqual(run.state, "running")
        self.assertEqual(run.progress, 50.0)
        # The next call stops in the middle of the second customer, its
        # invoice created but the chunk not committed.
        original = HelpdeskCaseBillingRun._make_invoices

        def make_then_die(run_self, pairs):
            original(run_self, pairs)
            raise Interrupted

        with patch.object(HelpdeskCaseBillingRun, "_make_invoices", make_then_die):
            with self.assertRaises(Interrupted):
                self._process()
        self.assertEqual(bright.state, "pending")
        self.assertFalse(self._invoices_of(self.cases_bright))
        # Restarted: the second customer is billed, the first not again.
        self._process()
        self._process()
        self.assertEqual(run.state, "done")
        self.assertEqual(len(run.invoice_ids), 2)
        invoices = self.env["account.move"].search(
            [("partner_id", "in", (self.customer | self.other_customer).ids), ("move_type", "=", "out_invoice")]
        )
        self.assertEqual(invoices, run.invoice_ids)
        self.assertTrue(all(invoice.invoice_line_ids for invoice in invoices))
        self.assertEqual(len(self._invoices_of(self.cases_acme)), 1)
        self.assertEqual(len(self._invoices_of(self.cases_bright)), 1)
        self.assertEqual(sorted(invoices.mapped("amount_untaxed")), [60.00, 180.00])

    def test_failing_customer_is_reported_and_the_others_billed(self):
        run = self._new_run()
        run.action_preview()
        run.action_start()
        original = HelpdeskCaseBillingRun._make_invoices

        def fail_for_bright(run_self, pairs):
            if self.other_customer in [customer for customer, _tickets in pairs]:
                raise UserError("No receivable account for Brightline Dental.")
            return original(run_self, pairs)

        # Both customers are one chunk: its failure bills them one by one.
        with patch.object(HelpdeskCaseBillingRun, "_make_invoices", fail_for_bright):
            self._process()
        acme, bright = run.line_ids.sorted(lambda line: line.partner_id.name)
        self.assertEqual(run.state, "failed")
        self.assertEqual((acme.state, bright.state), ("done", "failed"))
        self.assertEqual(bright.error, "No receivable account for Brightline Dental.")
        self.assertEqual(run.failed_count, 1)
        self.assertFalse(self.cases_bright.invoice_id)
        self.assertFalse(self._invoices_of(self.cases_bright))
        self.assertEqual(acme.invoice_id.amount_untaxed, 60.00)
        # Fixed, the failed customer is billed by a retry.
        run.action_retry_failed()
        self._process()
        self.assertEqual(run.state, "done")
        self.assertEqual(bright.invoice_id.amount_total, 217.80)
        self.assertEqual(len(run.invoice_ids), 2)

    def test_inactive_journal_fails_the_customer_at_the_run(self):
        run = self._new_run()
        run.action_preview()
        run.action_start()
        self.company_data["default_journal_sale"].active = False
        self._process()
        self.assertEqual(run.state, "failed")
        self.assertEqual(run.line_ids.mapped("state"), ["failed", "failed"])
        self.assertTrue(all(run.line_ids.mapped("error")))
        self.assertFalse((self.cases_acme | self.cases_bright).invoice_id)

    def test_selection_and_refused_cases(self):
        open_case = self._create_case("Still open", minutes=(30,), closed=False)
        no_solution = self._create_case("Unsolved", minutes=(30,), solution=False)
        run = self._new_run()
        run.action_preview()
        self.assertNotIn(open_case, run.line_ids.ticket_ids | run.skip_ids.ticket_id)
        self.assertEqual(run.skip_ids.ticket_id, no_solution)
        self.assertEqual(run.skip_ids.reason, "No solution is written.")
        # Closed after the date chosen: not selected.
        later = self._new_run(closed_until=fields.Date.add(fields.Date.today(), days=-1))
        later.action_preview()
        self.assertFalse(later.line_ids)
        self.assertFalse(later.skip_ids)
        with self.assertRaises(UserError):
            later.action_start()
        # Changing the selection drops the preview.
        run.partner_ids = self.customer
        self.assertEqual((run.state, len(run.line_ids)), ("draft", 0))

    def test_server_owned_values_and_started_runs(self):
        run = self._new_run()
        with self.assertRaises(AccessError):
            run.write({"state": "done"})
        with self.assertRaises(AccessError):
            self.env["helpdesk.case.billing.run"].create({"amount_untaxed": 1.0})
        run.action_preview()
        run.action_start()
        with self.assertRaises(UserError):
            run.write({"invoice_state": "posted"})
        with self.assertRaises(UserError):
            run.unlink()
        self.assertTrue(run.exists())


@tagged("post_install", "-at_install")
class TestBillingRunQueries(BillingRunCommon):
    """The queries of a chunk of customers do not grow with their cases:
    the run locks, checks and bills the cases of a chunk in batch."""

    @patch.object(HelpdeskCaseBillingRun, "_chunk_customers", 2)
    def test_queries_per_chunk_do_not_grow_with_cases(self):
        Partner = self.env["res.partner"]
        names_and_cases = [("A1", 1), ("A2", 1), ("B1", 1), ("B2", 1), ("C1", 6), ("C2", 6), ("D1", 1)]
        customers = Partner.create([{"name": name, "is_company": True} for name, _count in names_and_cases])
        for customer, (_name, count) in zip(customers, names_and_cases, strict=True):
            for index in range(count):
                self._create_case(f"Case {index}", minutes=(20,), partner=customer)
        run = self.env["helpdesk.case.billing.run"].create(
            {"partner_ids": [Command.set(customers.ids)], "closed_until": fields.Date.today()}
        )
        run.action_preview()
        run.action_start()
        self.env.flush_all()
        self.env.invalidate_all()
        marks = []

        def commit_progress(cron_self, processed=0, *, remaining=None, deactivate=False):
            cron_self.env.flush_all()
            marks.append(self.cr.sql_log_count)
            return float("inf")

        with patch.object(type(self.env["ir.cron"]), "_commit_progress", commit_progress):
            self.env["helpdesk.case.billing.run"]._cron_process_billing_runs()
        chunks = [after - before for before, after in zip(marks, marks[1:4], strict=False)]
        self.assertEqual(run.state, "done")
        self.assertEqual(run.line_ids.sorted("sequence").mapped("case_count"), [1, 1, 1, 1, 6, 6, 1])
        self.assertEqual(len(run.invoice_ids), 7)
        # The first chunk (A) fills the caches and the last (D) closes the
        # run. In between, two customers of 1 case (B) and two of 6 (C) take
        # the same queries, with the four modules installed, as the test
        # suite runs: the lines and their cases locked, the rule checked, the
        # invoices made and their cases written in batch (with one query per
        # invoice for the materials of its cases), the run's counters; and
        # four queries for the cases' time lines, read for their work types
        # (the lines, then their columns; twice in a chunk).
        self.assertEqual(chunks[1:], [68, 68], f"queries per chunk: {chunks}")


@tagged("post_install", "-at_install")
class TestBillingRunRpc(JsonRpcMixin, BillingRunCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = cls._new_user("run_agent", "helpdesk_mgmt.group_helpdesk_user")
        cls.manager = cls._new_user("run_manager", "helpdesk_mgmt.group_helpdesk_manager")
        cls.biller = cls._new_user(
            "run_biller", "helpdesk_mgmt.group_helpdesk_user,helpdesk_case_billing.group_case_billing"
        )

    def _call(self, user, model, method, *args, **kwargs):
        self.authenticate(user.login, user.login)
        return self._call_kw(model, method, list(args), kwargs)

    def assertRefused(self, reply):
        self.assertIn("error", reply, f"accepted: {reply}")
        self.assertEqual(reply["error"]["data"]["name"], "odoo.exceptions.AccessError")

    def test_without_billing_right_no_run(self):
        run = self._new_run()
        run.action_preview()
        Run = "helpdesk.case.billing.run"
        values = {"closed_until": "2026-12-01"}
        for user in (self.agent, self.manager):
            self.assertRefused(self._call(user, Run, "create", [values]))
            self.assertRefused(self._call(user, Run, "action_start", [run.id]))
            self.assertRefused(self._call(user, Run, "action_preview", [run.id]))
            self.assertRefused(self._call(user, Run, "read", [run.id], ["amount_untaxed"]))
        self.assertRefused(self._call(self.agent, Run, "read", [run.id], ["name"]))
        # Helpdesk managers follow the runs, without their amounts.
        reply = self._call(self.manager, Run, "read", [run.id], ["name", "state", "case_count"])
        self.assertEqual(reply["result"][0]["case_count"], 4)
        self.assertRefused(
            self._call(self.manager, "helpdesk.case.billing.run.line", "read", run.line_ids.ids, ["amount_total"])
        )
        # Nor the amounts of its cases: their time, yes.
        RunCase = "helpdesk.case.billing.run.case"
        self.assertRefused(self._call(self.manager, RunCase, "read", run.case_ids.ids, ["amount_untaxed"]))
        reply = self._call(self.manager, RunCase, "read", run.case_ids.ids, ["unit_label"])
        self.assertEqual(len(reply["result"]), 4)
        self.assertRefused(self._call(self.agent, RunCase, "read", run.case_ids.ids, ["unit_label"]))
        self.assertRefused(self._call(self.manager, RunCase, "write", run.case_ids.ids, {"amount_untaxed": 0}))
        self.assertEqual(sorted(run.case_ids.mapped("amount_untaxed")), [20.00, 40.00, 80.00, 100.00])
        self.assertEqual(run.state, "previewed")
        # A billing user makes runs, but not their results.
        reply = self._call(self.biller, Run, "create", [values])
        self.assertNotIn("error", reply, reply.get("error"))
        self.assertRefused(self._call(self.biller, Run, "write", [run.id], {"state": "done"}))
        self.assertRefused(
            self._call(self.biller, "helpdesk.case.billing.run.line", "write", run.line_ids.ids, {"amount_total": 1})
        )
        self.assertEqual(run.state, "previewed")
        self.assertEqual(sum(run.line_ids.mapped("amount_total")), 290.40)


@tagged("post_install", "-at_install")
class TestBillingRunConcurrency(TransactionCase):
    """A run and a billing by hand at the same moment, in transactions of
    their own: the data is committed by a cursor of its own and deleted at
    the end."""

    QUIET = {"tracking_disable": True, "mail_notrack": True, "mail_create_nolog": True}

    def setUp(self):
        super().setUp()
        self.ids = {}
        self.addCleanup(self._delete_committed_data)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, self.QUIET)
            admin = env.ref("base.user_admin")
            self.admin_id = admin.id
            env = env(context=dict(env.context, allowed_company_ids=admin.company_id.ids))
            employee = env["hr.employee"].search(
                [("user_id", "=", admin.id), ("company_id", "=", admin.company_id.id)], limit=1
            ) or env["hr.employee"].create({"name": "Run agent", "user_id": admin.id})
            partners = env["res.partner"].create(
                [{"name": f"Run customer {n}", "is_company": True} for n in (1, 2)]
            )
            project = env["project.project"].create({"name": "Run support", "allow_timesheets": True})
            team = env["helpdesk.ticket.team"].create(
                {
                    "name": "Run team",
                    "default_project_id": project.id,
                    "case_billing_enabled": True,
                }
            )
            tickets = env["helpdesk.ticket"].create(
                [
                    {
                        "name": f"Run case {n}",
                        "description": "<p>x</p>",
                        "partner_id": partner.id,
                        "team_id": team.id,
                        "project_id": project.id,
                        "solution": "<p>Done</p>",
                    }
                    for partner in partners
                    for n in (1, 2)
                ]
            )
            env["account.analytic.line"].create(
                [
                    {"name": "Work", "ticket_id": t.id, "employee_id": employee.id, "unit_amount": 0.5}
                    for t in tickets
                ]
            )
            tickets.stage_id = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
            run = env["helpdesk.case.billing.run"].with_user(admin).create(
                {"partner_ids": [Command.set(partners.ids)], "closed_until": fields.Date.today()}
            )
            run.action_preview()
            self.assertEqual(run.case_count, 4, run.skip_ids.mapped("reason"))
            run.action_start()
            self.ids.update(
                partners=partners.ids, project=project.id, team=team.id, tickets=tickets.ids, run=run.id
            )

    def _delete_committed_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, self.QUIET)
            tickets = env["helpdesk.ticket"].browse(self.ids.get("tickets", [])).exists()
            moves = env["account.move.line"].search([("helpdesk_ticket_id", "in", tickets.ids)]).move_id
            moves.unlink()
            env["helpdesk.case.billing.run"].browse(self.ids.get("run")).exists().unlink()
            tickets.timesheet_ids.unlink()
            tickets.unlink()
            env["helpdesk.ticket.team"].browse(self.ids.get("team")).exists().unlink()
            project = env["project.project"].browse(self.ids.get("project")).exists()
            account = project.account_id
            project.unlink()
            account.exists().unlink()
            env["res.partner"].browse(self.ids.get("partners", [])).exists().unlink()

    def _env(self):
        cr = self.registry.cursor()
        self.addCleanup(cr.close)
        self.addCleanup(cr.rollback)
        return api.Environment(cr, self.admin_id, {})

    def _committed(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            run = env["helpdesk.case.billing.run"].browse(self.ids["run"])
            tickets = env["helpdesk.ticket"].browse(self.ids["tickets"])
            lines = env["account.move.line"].search([("helpdesk_ticket_id", "in", tickets.ids)])
            # Every invoice of the customers, not only those the run lists.
            invoices = env["account.move"].search(
                [("partner_id", "in", self.ids["partners"]), ("move_type", "=", "out_invoice")]
            )
            return {
                "state": run.state,
                "lines_per_case": [len(lines.filtered(lambda l, t=t: l.helpdesk_ticket_id == t)) for t in tickets],
                "run_invoices": len(run.invoice_ids),
                "skipped": {s.ticket_id.id: s.reason for s in run.skip_ids if s.during_run},
                "empty_invoices": len(invoices.filtered(lambda m: not m.invoice_line_ids)),
                "invoices": len(invoices),
                "cases_done": run.cases_done,
            }

    @patch.object(HelpdeskCaseBillingRun, "_chunk_customers", 1)
    def test_two_workers_bill_a_run_side_by_side(self):
        """The second scheduled action runs while the first is in the middle
        of a chunk: it leaves the locked customer to the first, bills the
        other, and the run ends done, each case billed once."""
        first, second = self._env(), self._env()
        original = HelpdeskCaseBillingRun._bill_lines
        calls = []

        def second_worker_meanwhile(run_self, lines):
            calls.append(lines.partner_id.ids)
            if len(calls) == 1:
                second["helpdesk.case.billing.run"]._cron_process_billing_runs()
                second.cr.commit()
                # The second worker billed the other customer only.
                self.assertEqual(self._committed()["lines_per_case"], [0, 0, 1, 1])
            return original(run_self, lines)

        with patch.object(HelpdeskCaseBillingRun, "_bill_lines", second_worker_meanwhile):
            first["helpdesk.case.billing.run"]._cron_process_billing_runs()
        first.cr.commit()
        self.assertEqual(calls, [[self.ids["partners"][0]], [self.ids["partners"][1]]])
        state = self._committed()
        self.assertEqual(state["state"], "done")
        self.assertEqual(state["lines_per_case"], [1, 1, 1, 1])
        self.assertEqual(state["skipped"], {})
        self.assertEqual(
            (state["run_invoices"], state["invoices"], state["empty_invoices"], state["cases_done"]),
            (2, 2, 0, 4),
        )

    def test_case_locked_by_a_billing_by_hand_is_left_out(self):
        by_hand, cron = self._env(), self._env()
        busy = self.ids["tickets"][0]
        # Another user's billing holds the case (Odoo's lock of billing).
        by_hand["helpdesk.ticket"].browse(busy)._lock_for_billing()
        cron["helpdesk.case.billing.run"]._cron_process_billing_runs()
        cron.cr.commit()
        by_hand.cr.rollback()
        state = self._committed()
        self.assertEqual(state["state"], "done")
        self.assertEqual(state["lines_per_case"], [0, 1, 1, 1])
        self.assertEqual(
            state["skipped"], {busy: "The case was being billed by someone else at the same moment."}
        )
        self.assertEqual(
            (state["run_invoices"], state["invoices"], state["empty_invoices"]), (2, 2, 0)
        )

    def test_case_billed_by_hand_after_the_run_began_is_not_billed_twice(self):
        by_hand, cron = self._env(), self._env()
        billed = self.ids["tickets"][0]  # a case of the first customer
        original = HelpdeskCaseBillingRun._bill_lines
        calls = []

        def bill_by_hand_first(run_self, lines):
            calls.append(lines.ids)
            if len(calls) == 1:
                # The run's transaction has begun; the case is billed and
                # committed by hand before the run locks it.
                by_hand["helpdesk.ticket"].browse(billed).action_create_invoices()
                by_hand.cr.commit()
            return original(run_self, lines)

        with patch.object(HelpdeskCaseBillingRun, "_bill_lines", bill_by_hand_first):
            cron["helpdesk.case.billing.run"]._cron_process_billing_runs()
        cron.cr.commit()
        state = self._committed()
        self.assertEqual(state["state"], "done")
        self.assertEqual(state["lines_per_case"], [1, 1, 1, 1])
        self.assertIn(billed, state["skipped"])
        self.assertIn("Already invoiced on", state["skipped"][billed])
        # The run's two, and the one made by hand.
        self.assertEqual(
            (state["run_invoices"], state["invoices"], state["empty_invoices"]), (2, 3, 0)
        )
