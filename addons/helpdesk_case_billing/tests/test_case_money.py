# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CaseBillingCommon


def exact_amount(units, unit_minutes, hourly_price):
    """(units × unit minutes / 60) × hourly price, rounded once to the cent."""
    amount = Decimal(units) * Decimal(unit_minutes) / Decimal(60) * Decimal(str(hourly_price))
    return float(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# (unit minutes, minutes spent, hourly price): units of any length, odd prices.
EXACT_AMOUNT_EXAMPLES = [
    (10, 10, 60.0),
    (7, 7, 60.0),
    (1, 1, 60.0),
    (7, 21, 55.0),
    (7, 7, 55.0),
    (11, 100, 47.5),
    (13, 14, 99.99),
    (17, 200, 33.33),
    (59, 61, 123.45),
    (61, 61, 60.0),
    (97, 500, 12.34),
    (1440, 30, 80.0),
    (60, 61, 55.0),
    (15, 20, 55.0),
]


class CaseMoneyMixin:
    """Helpers of the case money tests: bill, credit and count what a case is
    billed; a case of a second company."""

    def _bill(self, cases, partner=None):
        invoice = self._create_invoice(partner=partner)
        invoice.action_add_helpdesk_cases(cases.ids)
        return invoice

    def _reverse(self, invoice, modify=False):
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Credit"})
        )
        action = wizard.modify_moves() if modify else wizard.refund_moves()
        return self.env["account.move"].browse(action["res_id"])

    @contextmanager
    def _refused(self, message):
        """A UserError with ``message``, everything written meanwhile rolled
        back (assertRaises, unlike assertRaisesRegex, runs in a savepoint)."""
        with self.assertRaises(UserError) as caught:
            yield
        self.assertIn(message, str(caught.exception))

    def _report_total(self, case):
        rows = self.env["helpdesk.case.billing.report"].search([("ticket_id", "=", case.id)])
        return round(sum(rows.mapped("amount_untaxed")), 2)

    def _company_b_case(self, name):
        company_b = self.company_b
        team = self.env["helpdesk.ticket.team"].with_company(company_b).search(
            [("company_id", "=", company_b.id)], limit=1
        ) or self.env["helpdesk.ticket.team"].with_company(company_b).create(
            {
                "name": "Support B",
                "company_id": company_b.id,
                "case_billing_enabled": True,
                "case_billing_mode": "fixed",
            }
        )
        case = (
            self.env["helpdesk.ticket"]
            .with_company(company_b)
            .create(
                {
                    "name": name,
                    "description": "x",
                    "partner_id": self.contact.id,
                    "team_id": team.id,
                    "solution": "<p>Done</p>",
                }
            )
        )
        case.stage_id = self.stage_done
        self.assertEqual(case.company_id, company_b)
        return case


@tagged("post_install", "-at_install")
class TestCaseMoney(CaseMoneyMixin, CaseBillingCommon):
    """Every amount billed for a case is exact, and a case is billed once over
    its invoice's whole life."""

    # --- 1. exact amounts for any billing unit --------------------------------

    def test_exact_amounts_for_any_billing_unit(self):
        """Units of any length: quantity = whole units, one rounding of the
        line's amount, on Load helpdesk cases and Create invoices."""
        self.product_hour.write({"lst_price": 60.0, "taxes_id": [Command.clear()]})
        for unit, minutes, price in EXACT_AMOUNT_EXAMPLES:
            with self.subTest(unit=unit, minutes=minutes, price=price):
                self.product_hour.lst_price = price
                self.team.case_billing_unit_minutes = unit
                units = -(-minutes // unit)
                expected = exact_amount(units, unit, price)
                cases = [self._create_case(name=f"Case {i}", minutes=(minutes,)) for i in range(2)]
                for case in cases:
                    self.assertEqual(case.billing_units, units)
                    self.assertEqual(case.billing_amount_estimate, expected)
                    self.assertEqual(case.billing_amount_unbilled, expected)
                # Load helpdesk cases.
                line = self._bill(cases[0]).invoice_line_ids
                self.assertEqual(line.quantity, units)
                self.assertEqual(line.product_uom_id, self.team.case_billing_uom_id)
                self.assertEqual(line.price_subtotal, expected)
                self.assertIn(f"{units} × {unit} min", line.name)
                # Create invoices from the list.
                self.env["helpdesk.ticket"].browse(cases[1].ids).action_create_invoices()
                self.assertEqual(cases[1].invoice_id.amount_untaxed, expected)

    def test_billing_unit_is_a_unit_of_time(self):
        hour = self.env.ref("uom.product_uom_hour")
        self.team.case_billing_unit_minutes = 7
        uom = self.team.case_billing_uom_id
        self.assertEqual(uom.relative_uom_id, hour)
        self.assertEqual(uom.case_billing_unit_minutes, 7)
        self.assertAlmostEqual(uom._compute_quantity(60, hour, round=False), 7.0, places=9)
        # One unit a length: teams with the same unit share it; Hours for 60.
        other = self.team.copy({"name": "Second line", "case_billing_unit_minutes": 7})
        self.assertEqual(other.case_billing_uom_id, uom)
        other.case_billing_unit_minutes = 60
        self.assertEqual(other.case_billing_uom_id, hour)

    def test_flat_rate_bills_one_product_unit(self):
        self.team.case_billing_mode = "fixed"
        case = self._create_case(minutes=(7,))
        line = self._bill(case).invoice_line_ids
        self.assertEqual(line.quantity, 1.0)
        self.assertEqual(line.product_uom_id, self.product_hour.uom_id)
        self.assertEqual(line.price_subtotal, 80.0)

    # --- 2. time marked not billable is never billed --------------------------

    def test_non_billable_time_is_never_billed(self):
        self.product_hour.write({"lst_price": 60.0, "taxes_id": [Command.clear()]})
        cases = self.env["helpdesk.ticket"]
        for i in range(2):
            case = self._create_case(name=f"Case {i}", minutes=(30,))
            self._log_time(case, 45).case_billable = False
            cases |= case
        for case in cases:
            self.assertAlmostEqual(case.billing_duration_hours, 0.5)
            self.assertEqual(case.billing_units, 2)
            self.assertEqual(case.billing_amount_unbilled, 30.0)
        self.assertEqual(self._bill(cases[0]).amount_untaxed, 30.0)
        cases[1].action_create_invoices()
        self.assertEqual(cases[1].invoice_id.amount_untaxed, 30.0)

    def test_only_non_billable_time_blocks_billing(self):
        case = self._create_case(minutes=(45,))
        case.timesheet_ids.case_billable = False
        self.assertFalse(case.is_billable_now)
        self.assertIn("None of the time logged on the case is billable.", case.billing_blockers)
        self.assertEqual(case.billing_amount_unbilled, 0.0)

    # --- 3. credit notes -------------------------------------------------------

    def test_full_credit_note_frees_the_case(self):
        case = self._create_case(minutes=(20,))
        invoice = self._bill(case)
        invoice.action_post()
        self.assertEqual(self._report_total(case), 40.0)
        credit = self._reverse(invoice)
        self.assertEqual(credit.move_type, "out_refund")
        self.assertEqual(credit.invoice_line_ids.helpdesk_ticket_id, case)
        # A draft credit note credits nothing yet.
        self.assertEqual(case.invoice_id, invoice)
        credit.action_post()
        self.assertFalse(case.invoice_id)
        self.assertEqual(case.billing_status_id, self.status_billable)
        self.assertTrue(case.is_billable_now)
        self.assertEqual(self._report_total(case), 0.0)
        # Unlocked: time can be logged, and the case billed again.
        self._log_time(case, 10)
        second = self._bill(case)
        self.assertEqual(case.invoice_id, second)
        self.assertEqual(second.amount_untaxed, 40.0)
        self.assertEqual(self._report_total(case), 40.0)

    def test_credit_note_reversing_in_full_at_once(self):
        # Odoo's "Full refund" of a draft-less flow: reverse with cancel.
        case = self._create_case(minutes=(20,))
        invoice = self._bill(case)
        invoice.action_post()
        invoice._reverse_moves(cancel=True)
        self.assertEqual(invoice.payment_state, "reversed")
        self.assertFalse(case.invoice_id)
        self.assertTrue(case.is_billable_now)

    def test_partial_credit_note_keeps_the_case_billed(self):
        case = self._create_case(minutes=(30,))
        invoice = self._bill(case)
        invoice.action_post()
        credit = self._reverse(invoice)
        credit.invoice_line_ids.quantity = 1  # 1 of the 2 units billed
        credit.action_post()
        self.assertEqual(case.invoice_id, invoice)
        self.assertFalse(case.is_billable_now)
        self.assertEqual(self._report_total(case), 20.0)
        with self.assertRaisesRegex(UserError, "its timesheets cannot be created"):
            self._log_time(case, 10)

    def test_reverse_and_new_draft_bills_the_case_on_the_draft(self):
        case = self._create_case(minutes=(20,))
        invoice = self._bill(case)
        invoice.action_post()
        draft = self._reverse(invoice, modify=True)
        self.assertEqual(draft.move_type, "out_invoice")
        self.assertEqual(draft.state, "draft")
        self.assertEqual(draft.invoice_line_ids.helpdesk_ticket_id, case)
        self.assertEqual(case.invoice_id, draft)
        self.assertEqual(invoice.payment_state, "reversed")
        # Removing the case from the new draft frees it.
        draft.invoice_line_ids.unlink()
        self.assertFalse(case.invoice_id)
        self.assertTrue(case.is_billable_now)

    def test_credit_note_of_one_case_frees_only_that_case(self):
        first = self._create_case(name="First", minutes=(20,))
        second = self._create_case(name="Second", minutes=(20,))
        invoice = self._bill(first | second)
        invoice.action_post()
        credit = self._reverse(invoice)
        credit.invoice_line_ids.filtered(lambda line: line.helpdesk_ticket_id == second).unlink()
        credit.action_post()
        self.assertFalse(first.invoice_id)
        self.assertEqual(second.invoice_id, invoice)

    def test_credit_note_back_to_draft_refused_once_billed_elsewhere(self):
        case = self._create_case(minutes=(20,))
        invoice = self._bill(case)
        invoice.action_post()
        credit = self._reverse(invoice)
        credit.action_post()
        second = self._bill(case)
        with self._refused(
            f"{credit.display_name} cannot be reset to draft: its case {case.number} has "
            f"been billed on {second.display_name} meanwhile."
        ):
            credit.button_draft()
        self.assertEqual(credit.state, "posted")
        self.assertEqual(case.invoice_id, second)
        # Without the second invoice, the credit note may go back to draft:
        # the first invoice bills the case again.
        second.button_cancel()
        credit.button_draft()
        self.assertEqual(case.invoice_id, invoice)

    def test_posted_invoice_back_to_draft_without_the_case_line(self):
        case = self._create_case(minutes=(20,))
        other = self._create_case(name="Other", minutes=(20,))
        invoice = self._bill(case | other)
        invoice.action_post()
        invoice.button_draft()
        self.assertEqual(case.invoice_id, invoice)
        invoice.invoice_line_ids.filtered(lambda line: line.helpdesk_ticket_id == case).unlink()
        self.assertFalse(case.invoice_id)
        self.assertTrue(case.is_billable_now)
        self.assertEqual(other.invoice_id, invoice)

    # --- 5. billed data is protected -------------------------------------------

    def test_invoiced_case_keeps_its_customer_and_company(self):
        case = self._create_case(minutes=(20,))
        invoice = self._bill(case)
        invoice.action_post()
        company_b = self.setup_other_company(name="Company B")["company"]
        for vals in ({"partner_id": self.other_customer.id}, {"company_id": company_b.id}):
            with self.subTest(vals=vals), self._refused("its customer and company cannot be"):
                case.write(vals)
        self.assertEqual(case.commercial_partner_id, self.customer)
        self.assertEqual(case.company_id, self.company)
        # Another contact of the same customer, the title and the description.
        case.write(
            {
                "partner_id": self.customer.id,
                "name": "Printer broken (toner)",
                "description": "<p>Toner and fuser</p>",
            }
        )
        case.message_post(body="Customer called back.")
        self.assertEqual(case.name, "Printer broken (toner)")
        # Once credited, the case is free again.
        self._reverse(invoice).action_post()
        case.partner_id = self.other_customer
        self.assertEqual(case.commercial_partner_id, self.other_customer)

    # --- 8. one company per invoice --------------------------------------------

    def test_cases_of_another_company_are_refused_on_every_path(self):
        self.company_b = self.setup_other_company(name="Company B")["company"]
        both = (self.company | self.company_b).ids
        self.env.user.company_ids = [Command.set(both)]
        self.env = self.env(context=dict(self.env.context, allowed_company_ids=both))
        case_b = self._company_b_case("Case of B")
        invoice = self._create_invoice().with_env(self.env)
        with self.assertRaisesRegex(UserError, "belongs to company Company B"):
            invoice.action_add_helpdesk_cases(case_b.ids)
        self.assertFalse(invoice.invoice_line_ids)
        self.assertFalse(case_b.invoice_id)
        # Create invoices: one invoice per company and customer, counted so.
        case_a = self._create_case(name="Case of A").with_env(self.env)
        wizard = (
            self.env["helpdesk.ticket.invoice.wizard"]
            .with_context(active_model="helpdesk.ticket", active_ids=(case_a | case_b).ids)
            .create({})
        )
        self.assertEqual(wizard.invoice_count, 2)
        self.assertEqual(
            wizard.summary, "2 cases will be billed on 2 draft invoices, one per customer."
        )
        Wizard = self.env["helpdesk.ticket.invoice.wizard"]
        one = Wizard.with_context(active_model="helpdesk.ticket", active_ids=case_a.ids).create({})
        self.assertEqual(one.summary, "1 case will be billed on 1 draft invoice.")
        second_a = self._create_case(name="Second of A").with_env(self.env)
        two = Wizard.with_context(
            active_model="helpdesk.ticket", active_ids=(case_a | second_a).ids
        ).create({})
        self.assertEqual(two.summary, "2 cases will be billed on 1 draft invoice.")
        (case_a | case_b).action_create_invoices()
        self.assertEqual(case_a.invoice_id.company_id, self.company)
        self.assertEqual(case_b.invoice_id.company_id, self.company_b)

    def test_billing_product_unit_can_be_written_unchanged_after_billing(self):
        # Posted case lines are in the billing unit, not the product's Hours:
        # Odoo's check refuses a change of the product's unit, and must not
        # refuse the same unit written again (as reloading the addon's data does).
        case = self._create_case(minutes=(20,))
        self._bill(case).action_post()
        hour = self.env.ref("uom.product_uom_hour")
        self.product_hour.write({"uom_id": hour.id, "name": "Helpdesk work (hour)"})
        self.assertEqual(self.product_hour.uom_id, hour)
        with self.assertRaises(ValidationError):
            self.product_hour.uom_id = self.env.ref("uom.product_uom_day")

    # --- the case's chatter is its billing history --------------------------------

    def test_chatter_tells_the_billing_history(self):
        case = self._create_case(minutes=(20,))
        invoice = self._bill(case)
        invoice.action_post()

        def last_message():
            return case.message_ids.sorted("id")[-1].body

        self.assertIn("Invoiced on", last_message())
        self.assertIn(invoice.name, last_message())
        credit = self._reverse(invoice)
        credit.invoice_line_ids.quantity = 1
        credit.action_post()
        self.assertIn("Credited by", last_message())
        self.assertIn("still billed on", last_message())
        full = self._reverse(invoice)
        full.action_post()
        self.assertIn(full.name, last_message())
        self.assertIn("billable again", last_message())
        # Cancelling: the second invoice of the case.
        second = self._bill(case)
        second.button_cancel()
        self.assertIn("cancelled. The case is billable again.", last_message())
