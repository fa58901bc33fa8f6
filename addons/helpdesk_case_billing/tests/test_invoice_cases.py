# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools.misc import format_amount

from ..models.helpdesk_ticket import format_hours_minutes, linking_cases
from .common import CaseBillingCommon


@tagged("post_install", "-at_install")
class TestInvoiceCases(CaseBillingCommon):
    def _case_lines(self, invoice):
        return invoice.invoice_line_ids.filtered("helpdesk_ticket_id")

    # --- adding cases ----------------------------------------------------

    def test_seed_example(self):
        ticket = self._create_case(name="Printer broken", minutes=(20,))
        self._closed_on(ticket, date(2026, 11, 20))
        invoice = self._create_invoice()
        result = invoice.action_add_helpdesk_cases([ticket.id])
        line = self._case_lines(invoice)
        self.assertEqual(len(line), 1)
        spent = result.pop("spent_hours")
        self.assertAlmostEqual(spent, 20 / 60)
        self.assertEqual(
            result,
            {
                "case_count": 1,
                "billed_hours": 0.5,
                "units": [{"minutes": 15, "units": 2}],
                "amount": 40.0,
                "line_ids": line.ids,
            },
        )
        self.assertEqual(ticket.billing_billed_hours, 0.5)
        self.assertEqual(ticket.billing_unit_label, "2 × 15 min")
        self.assertEqual(
            line.name, f"{ticket.number} - Printer broken (closed 11/20/2026) - 2 × 15 min"
        )
        self.assertEqual(line.helpdesk_ticket_id, ticket)
        self.assertEqual(line.product_id, self.product_hour)
        self.assertEqual(line.product_uom_id, self.team.case_billing_uom_id)
        self.assertEqual(line.product_uom_id.name, "15 min")
        self.assertEqual(line.quantity, 2.0)
        self.assertAlmostEqual(line.price_unit, 20.0, msg="80.00 an hour, by 15 minutes")
        self.assertAlmostEqual(line.price_subtotal, 40.0)
        self.assertEqual(ticket.invoice_id, invoice)
        self.assertEqual(ticket.invoice_line_ids, line)
        self.assertEqual(ticket.billing_status_id, self.status_invoiced)
        self.assertEqual(ticket.billing_kind, "billed")
        self.assertFalse(ticket.is_billable_now)
        self.assertEqual(
            ticket.billing_blockers, f"Already invoiced on {invoice.display_name}."
        )

    def test_invoice_lists_its_cases(self):
        tickets = self._create_case(name="A") | self._create_case(name="B")
        invoice = self._create_invoice()
        self.assertTrue(invoice.case_billing_available)
        self.assertFalse(invoice.helpdesk_ticket_ids)
        invoice.action_add_helpdesk_cases(tickets.ids)
        self.assertEqual(invoice.helpdesk_ticket_ids, tickets)
        # No team of the company bills cases: nothing to add.
        self.team.case_billing_enabled = False
        invoice.invalidate_recordset(["case_billing_available"])
        self.assertFalse(invoice.case_billing_available)
        bill = self.env["account.move"].create({"move_type": "in_invoice"})
        self.team.case_billing_enabled = True
        self.assertFalse(bill.case_billing_available)

    def test_quantity_can_be_edited_afterwards(self):
        ticket = self._create_case()
        invoice = self._create_invoice()
        invoice.action_add_helpdesk_cases([ticket.id])
        line = self._case_lines(invoice)
        line.quantity = 3
        self.assertAlmostEqual(line.price_subtotal, 60.0)
        self.assertEqual(line.helpdesk_ticket_id, ticket)
        self.assertEqual(ticket.invoice_id, invoice)

    def test_cases_tab_totals(self):
        """The invoice's Helpdesk cases tab says what Load helpdesk cases said:
        billed time, units by length, time spent, amount."""
        team_b = self.env["helpdesk.ticket.team"].create(
            {
                "name": "Field",
                "company_id": self.company.id,
                "default_project_id": self.project.id,
                "case_billing_enabled": True,
                "case_billing_unit_minutes": 30,
                "case_billing_mode": "time",
            }
        )
        printer = self._create_case(name="Printer", minutes=(20,))
        mail = self._create_case(name="Mail", minutes=(35,))
        wifi = self._create_case(name="Wi-Fi", minutes=(50,), team=team_b)
        invoice = self._create_invoice()
        self.assertFalse(invoice.helpdesk_cases_summary)
        result = invoice.action_add_helpdesk_cases(printer.ids)
        amount = format_amount(self.env, 40.0, invoice.currency_id)
        self.assertEqual(
            invoice.helpdesk_cases_summary,
            f"1 case: 0:30 h billed (2 × 15 min) for 0:20 h of billable time, {amount}",
        )
        result = invoice.action_add_helpdesk_cases((mail | wifi).ids)
        # 35 min: 3 × 15 min; 50 min at 30-minute units: 2 × 30 min.
        self.assertEqual(result["units"], [{"minutes": 15, "units": 3}, {"minutes": 30, "units": 2}])
        self.assertEqual((result["billed_hours"], result["amount"]), (1.75, 140.0))
        self.assertAlmostEqual(result["spent_hours"], 85 / 60)
        amount = format_amount(self.env, 40.0 + 60.0 + 80.0, invoice.currency_id)
        self.assertEqual(
            invoice.helpdesk_cases_summary,
            f"3 cases: 2:15 h billed (5 × 15 min + 2 × 30 min) for 1:45 h of billable time, "
            f"{amount}",
        )
        self.assertAlmostEqual(invoice.amount_untaxed, 180.0)
        # The tab's list totals the same times.
        self.assertAlmostEqual(sum(invoice.helpdesk_ticket_ids.mapped("billing_billed_hours")), 2.25)
        self.assertAlmostEqual(sum(invoice.helpdesk_ticket_ids.mapped("billing_duration_hours")), 1.75)
        arch = invoice.get_view(view_type="form")["arch"]
        self.assertIn("helpdesk_cases_summary", arch)

    def test_format_hours_minutes(self):
        self.assertEqual(
            [format_hours_minutes(h) for h in (0, 4 + 1 / 3, 5, 0.004, -1.5, -0.001, 100.25)],
            ["0:00", "4:20", "5:00", "0:00", "-1:30", "0:00", "100:15"],
        )

    def test_fixed_mode_line(self):
        self.team.case_billing_mode = "fixed"
        ticket = self._create_case(name="Password reset", minutes=(50,))
        self._closed_on(ticket, date(2026, 11, 21))
        invoice = self._create_invoice()
        result = invoice.action_add_helpdesk_cases([ticket.id])
        line = self._case_lines(invoice)
        self.assertEqual(result["units"], [{"minutes": 0, "units": 1}], "one flat rate")
        self.assertEqual((result["billed_hours"], result["amount"]), (0.0, 80.0))
        self.assertEqual(line.quantity, 1.0)
        self.assertAlmostEqual(line.price_unit, 80.0)
        self.assertEqual(
            line.name, f"{ticket.number} - Password reset (closed 11/21/2026) - flat rate"
        )

    def test_several_cases_in_one_call(self):
        tickets = (
            self._create_case(name="A", minutes=(20,))
            | self._create_case(name="B", minutes=(45, 30))
            | self._create_case(name="C", minutes=(90,), partner=self.customer)
        )
        invoice = self._create_invoice()
        result = invoice.action_add_helpdesk_cases(tickets)
        lines = self._case_lines(invoice)
        self.assertEqual(result["case_count"], 3)
        self.assertEqual(result["units"], [{"minutes": 15, "units": 2 + 5 + 6}])
        self.assertAlmostEqual(result["billed_hours"], 3.25)
        self.assertAlmostEqual(result["spent_hours"], (20 + 45 + 30 + 90) / 60)
        self.assertAlmostEqual(result["amount"], 80.0 * 3.25)
        self.assertEqual(sorted(result["line_ids"]), sorted(lines.ids))
        self.assertEqual(lines.helpdesk_ticket_id, tickets)
        self.assertEqual(sum(lines.mapped("quantity")), 2 + 5 + 6, "in 15-minute units")
        self.assertAlmostEqual(invoice.amount_untaxed, 80.0 * 3.25)
        self.assertEqual(tickets.invoice_id, invoice)
        self.assertEqual(set(tickets.mapped("billing_status_id")), {self.status_invoiced})

    def test_duplicate_ids_are_added_once(self):
        ticket = self._create_case()
        invoice = self._create_invoice()
        result = invoice.action_add_helpdesk_cases([ticket.id, ticket.id])
        self.assertEqual(result["case_count"], 1)
        self.assertEqual(len(self._case_lines(invoice)), 1)

    def test_team_invoiced_status(self):
        sent = self.env["helpdesk.ticket.billing.status"].create(
            {"name": "Invoice sent", "kind": "billed"}
        )
        self.team.case_billing_invoiced_status_id = sent
        ticket = self._create_case()
        self._create_invoice().action_add_helpdesk_cases([ticket.id])
        self.assertEqual(ticket.billing_status_id, sent)

    def test_chatter_logs_one_message_per_case(self):
        tickets = self._create_case(name="A") | self._create_case(name="B")
        invoice = self._create_invoice()
        before = {t.id: set(t.message_ids.ids) for t in tickets}
        invoice.with_context(
            tracking_disable=False, mail_notrack=False
        ).action_add_helpdesk_cases(tickets.ids)
        self.env.flush_all()
        self.env.cr.precommit.run()
        for ticket in tickets:
            new = ticket.message_ids.filtered(lambda m, t=ticket: m.id not in before[t.id])
            self.assertEqual(len(new), 1, "one message per case, no tracking message on top")
            self.assertIn("Added to invoice", new.body)
            self.assertIn('data-oe-model="account.move"', new.body)
            self.assertIn(f'data-oe-id="{invoice.id}"', new.body)

    # --- refusals ----------------------------------------------------------

    def assertRefused(self, invoice, tickets, *fragments):
        lines_before = invoice.line_ids
        with self.assertRaises(UserError) as caught:
            invoice.action_add_helpdesk_cases(tickets.ids)
        message = str(caught.exception)
        for fragment in fragments:
            self.assertIn(fragment, message)
        self.assertEqual(invoice.line_ids, lines_before, "nothing was added")
        return message

    def test_refuses_all_when_one_case_is_not_billable(self):
        good = self._create_case(name="Good")
        open_case = self._create_case(name="Still open", closed=False, solution=False)
        invoice = self._create_invoice()
        message = self.assertRefused(
            invoice,
            good | open_case,
            f"Nothing was added to {invoice.display_name}",
            f"{open_case.number} - Still open:",
            "The case is not closed.",
            "No solution is written.",
        )
        self.assertNotIn(good.number, message, "only refused cases are listed")
        self.assertTrue(good.is_billable_now)
        self.assertFalse(good.invoice_id)
        self.assertEqual(good.billing_status_id, self.status_billable)

    def test_refuses_another_customer(self):
        ticket = self._create_case(partner=self.other_customer)
        invoice = self._create_invoice()
        self.assertRefused(
            invoice,
            ticket,
            "The case is for Brightline Dental, not for the invoice's customer "
            "Acme Corporation.",
        )

    def test_invoice_to_a_contact_takes_the_company_cases(self):
        ticket = self._create_case(partner=self.customer)
        invoice = self._create_invoice(partner=self.contact)
        invoice.action_add_helpdesk_cases([ticket.id])
        self.assertEqual(ticket.invoice_id, invoice)

    def test_refuses_twice_the_same_case(self):
        ticket = self._create_case()
        invoice = self._create_invoice()
        invoice.action_add_helpdesk_cases([ticket.id])
        # Double click on the same invoice, or another invoice.
        self.assertRefused(invoice, ticket, f"Already invoiced on {invoice.display_name}.")
        other = self._create_invoice()
        self.assertRefused(other, ticket, f"Already invoiced on {invoice.display_name}.")
        self.assertEqual(len(ticket.invoice_line_ids), 1)

    def test_refuses_when_not_a_draft_customer_invoice(self):
        ticket = self._create_case()
        posted = self._create_invoice()
        posted.invoice_line_ids = [
            Command.create({"product_id": self.product_a.id, "quantity": 1, "price_unit": 10.0})
        ]
        posted.action_post()
        self.assertRefused(posted, ticket, "can only be added to a draft customer invoice")
        bill = self.env["account.move"].create(
            {"move_type": "in_invoice", "partner_id": self.customer.id}
        )
        self.assertRefused(bill, ticket, "can only be added to a draft customer invoice")
        refund = self.env["account.move"].create(
            {"move_type": "out_refund", "partner_id": self.customer.id}
        )
        self.assertRefused(refund, ticket, "can only be added to a draft customer invoice")
        self.assertTrue(ticket.is_billable_now)

    def test_refuses_without_customer(self):
        ticket = self._create_case()
        invoice = self.env["account.move"].create({"move_type": "out_invoice"})
        self.assertRefused(invoice, ticket, "Choose the customer of the invoice")

    def test_refuses_nothing_selected_and_several_invoices(self):
        invoice = self._create_invoice()
        with self.assertRaisesRegex(UserError, "Select the cases"):
            invoice.action_add_helpdesk_cases([])
        ticket = self._create_case()
        with self.assertRaisesRegex(UserError, "one invoice at a time"):
            (invoice | self._create_invoice()).action_add_helpdesk_cases([ticket.id])

    def test_refuses_deleted_case(self):
        ticket = self._create_case()
        ticket_id = ticket.id
        ticket.timesheet_ids.unlink()
        ticket.unlink()
        with self.assertRaisesRegex(UserError, "no longer exist"):
            self._create_invoice().action_add_helpdesk_cases([ticket_id])

    # --- the case follows its invoice ----------------------------------------

    def _billed_case(self):
        ticket = self._create_case()
        invoice = self._create_invoice()
        invoice.action_add_helpdesk_cases([ticket.id])
        self.assertEqual(ticket.billing_status_id, self.status_invoiced)
        return ticket, invoice

    def assertBillableAgain(self, ticket, status=None):
        self.assertFalse(ticket.invoice_id)
        self.assertEqual(ticket.billing_status_id, status or self.status_billable)
        self.assertTrue(ticket.is_billable_now)
        self.assertFalse(ticket.billing_blockers)

    def test_cancel_makes_the_case_billable_again(self):
        ticket, invoice = self._billed_case()
        invoice.button_cancel()
        self.assertEqual(invoice.state, "cancel")
        self.assertBillableAgain(ticket)

    def test_cancel_posted_invoice(self):
        ticket, invoice = self._billed_case()
        invoice.action_post()
        invoice.button_cancel()
        self.assertBillableAgain(ticket)

    def test_deleting_the_line_makes_the_case_billable_again(self):
        ticket, invoice = self._billed_case()
        self._case_lines(invoice).unlink()
        self.assertBillableAgain(ticket)
        # It can be billed again.
        invoice.action_add_helpdesk_cases([ticket.id])
        self.assertEqual(ticket.invoice_id, invoice)

    def test_deleting_the_line_from_the_invoice_form(self):
        ticket, invoice = self._billed_case()
        line = self._case_lines(invoice)
        invoice.write({"invoice_line_ids": [(2, line.id)]})
        self.assertBillableAgain(ticket)

    def test_deleting_the_draft_invoice_makes_the_case_billable_again(self):
        ticket, invoice = self._billed_case()
        invoice.unlink()
        self.assertBillableAgain(ticket)

    def test_unbilled_status_is_the_team_default_when_billable(self):
        checked = self.env["helpdesk.ticket.billing.status"].create(
            {"name": "Checked", "kind": "billable"}
        )
        ticket, invoice = self._billed_case()
        self.team.case_billing_default_status_id = checked
        invoice.button_cancel()
        self.assertBillableAgain(ticket, checked)

    def test_unbilled_status_ignores_a_not_billable_team_default(self):
        ticket, invoice = self._billed_case()
        self.team.case_billing_default_status_id = self.status_not_billable
        invoice.button_cancel()
        self.assertBillableAgain(ticket, self.status_billable)

    def test_posting_keeps_the_case_invoiced(self):
        ticket, invoice = self._billed_case()
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(ticket.invoice_id, invoice)
        self.assertEqual(ticket.billing_status_id, self.status_invoiced)
        # Back to draft from posted: still billed by it.
        invoice.button_draft()
        self.assertEqual(ticket.invoice_id, invoice)
        self.assertEqual(ticket.billing_status_id, self.status_invoiced)

    def test_reset_to_draft_bills_the_case_again(self):
        ticket, invoice = self._billed_case()
        invoice.button_cancel()
        self.assertBillableAgain(ticket)
        invoice.button_draft()
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(ticket.invoice_id, invoice)
        self.assertEqual(ticket.billing_status_id, self.status_invoiced)

    def test_reset_to_draft_refused_when_billed_elsewhere(self):
        ticket, invoice = self._billed_case()
        invoice.button_cancel()
        other = self._create_invoice()
        other.action_add_helpdesk_cases([ticket.id])
        with self.assertRaises(UserError) as caught:
            invoice.button_draft()
        self.assertEqual(
            str(caught.exception),
            f"{invoice.display_name} cannot be reset to draft: its case {ticket.number} "
            f"has been billed on {other.display_name} meanwhile. Remove the case from "
            "one of the invoices first.",
        )
        self.assertEqual(invoice.state, "cancel")
        self.assertEqual(ticket.invoice_id, other)

    def test_reset_two_cancelled_invoices_of_one_case(self):
        ticket, invoice = self._billed_case()
        invoice.button_cancel()
        other = self._create_invoice()
        other.action_add_helpdesk_cases([ticket.id])
        other.button_cancel()
        with self.assertRaises(UserError) as caught:
            (invoice | other).button_draft()
        self.assertIn("cannot be reset to draft", str(caught.exception))
        self.assertEqual(set((invoice | other).mapped("state")), {"cancel"})

    def test_a_case_is_never_on_two_live_invoices(self):
        ticket, invoice = self._billed_case()
        other = self._create_invoice()
        vals = {
            "move_id": other.id,
            "product_id": self.product_hour.id,
            "quantity": 1,
            "helpdesk_ticket_id": ticket.id,
        }
        # A raw create is refused whoever the user; the billing paths that may
        # link cases still never link one twice.
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            self.env["account.move.line"].create(vals)
        with self.assertRaisesRegex(ValidationError, "cannot be billed twice"), linking_cases():
            self.env["account.move.line"].create(vals)

    # --- one invoice per customer ----------------------------------------------

    def test_create_invoices_groups_by_commercial_partner(self):
        acme = (
            self._create_case(name="Acme 1")
            | self._create_case(name="Acme 2", partner=self.customer)
        )
        bright = self._create_case(name="Bright", partner=self.other_customer)
        action = (acme | bright).action_create_invoices()
        invoices = self.env["account.move"].search(action["domain"])
        self.assertEqual(action["res_model"], "account.move")
        self.assertEqual(len(invoices), 2)
        self.assertEqual(set(invoices.mapped("state")), {"draft"})
        self.assertEqual(set(invoices.mapped("move_type")), {"out_invoice"})
        by_customer = {inv.commercial_partner_id: inv for inv in invoices}
        self.assertEqual(set(by_customer), {self.customer, self.other_customer})
        self.assertEqual(
            by_customer[self.customer].invoice_line_ids.helpdesk_ticket_id, acme
        )
        self.assertEqual(
            by_customer[self.other_customer].invoice_line_ids.helpdesk_ticket_id, bright
        )
        self.assertEqual(acme.invoice_id, by_customer[self.customer])
        self.assertEqual(bright.invoice_id, by_customer[self.other_customer])

    def test_create_invoices_single_customer_opens_the_form(self):
        tickets = self._create_case(name="A") | self._create_case(name="B")
        action = tickets.action_create_invoices()
        invoice = tickets.invoice_id
        self.assertEqual(len(invoice), 1)
        self.assertEqual(action["res_id"], invoice.id)
        self.assertEqual(action["view_mode"], "form")
        self.assertEqual(len(invoice.invoice_line_ids), 2)

    def test_create_invoices_refuses_non_billable_selection(self):
        good = self._create_case(name="Good")
        bad = self._create_case(name="No time at all", minutes=())
        Move = self.env["account.move"]
        count = Move.search_count([("move_type", "=", "out_invoice")])
        with self.assertRaises(UserError) as caught:
            (good | bad).action_create_invoices()
        message = str(caught.exception)
        self.assertIn("No invoice was created", message)
        self.assertIn(f"{bad.number} - No time at all:", message)
        self.assertIn("No time is spent on the case.", message)
        self.assertNotIn(good.number, message)
        self.assertEqual(Move.search_count([("move_type", "=", "out_invoice")]), count)
        self.assertTrue(good.is_billable_now)

    # --- a constant number of queries ------------------------------------------

    def _count_add_queries(self, count):
        Ticket = self.env["helpdesk.ticket"]
        tickets = Ticket.create(
            [
                {
                    "name": f"Bulk case {i}",
                    "description": "<p>Bulk</p>",
                    "partner_id": self.contact.id,
                    "team_id": self.team.id,
                    "project_id": self.project.id,
                    "solution": "<p>Done</p>",
                }
                for i in range(count)
            ]
        )
        self.env["account.analytic.line"].create(
            [
                {
                    "name": "Work",
                    "ticket_id": ticket.id,
                    "employee_id": self.employee.id,
                    "unit_amount": 0.5,
                }
                for ticket in tickets
            ]
        )
        tickets.write({"stage_id": self.stage_done.id})
        invoice = self._create_invoice()
        self.env.flush_all()
        self.env.invalidate_all()
        # As in a request: tracking on, everything flushed and committed.
        invoice = invoice.with_context(tracking_disable=False, mail_notrack=False)
        start = self.env.cr.sql_log_count
        result = invoice.action_add_helpdesk_cases(tickets.ids)
        self.env.flush_all()
        self.env.cr.precommit.run()
        queries = self.env.cr.sql_log_count - start
        self.assertEqual(result["case_count"], count)
        self.assertEqual(result["units"], [{"minutes": 15, "units": 2 * count}])
        self.assertEqual(len(tickets.invoice_id), 1)
        return queries

    def test_query_count_does_not_grow_with_cases(self):
        small = self._count_add_queries(10)
        large = self._count_add_queries(1000)
        self.assertLessEqual(
            large, 3 * small, f"{small} queries for 10 cases but {large} for 1000"
        )
