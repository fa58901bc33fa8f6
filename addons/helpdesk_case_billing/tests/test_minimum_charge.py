# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CaseBillingCommon

MAY_11 = date(2026, 5, 11)


@tagged("post_install", "-at_install")
class TestMinimumCharge(CaseBillingCommon):
    """A team's minimum charge per case and its rounding of each time line:
    the units of the case, its label, its estimate and its invoice line agree,
    and the line's amounts are Odoo's own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 15-minute units at 60.00 an hour: 15.00 a unit.
        cls.product_hour.write({"lst_price": 60.0, "taxes_id": [Command.clear()]})
        cls.team.case_billing_minimum_minutes = 30
        cls.customer.lang = "en_US"

    def _bill(self, cases):
        invoice = self._create_invoice()
        invoice.action_add_helpdesk_cases(cases.ids)
        return invoice

    # --- the minimum ------------------------------------------------------------

    def test_short_case_is_billed_the_minimum(self):
        case = self._create_case(name="Printer down", minutes=(10,))
        self._closed_on(case, MAY_11)
        self.assertEqual(case.billing_units, 2, "10 min with a 30-min minimum: 2 × 15 min")
        self.assertEqual(case.billing_quantity, 2.0)
        self.assertAlmostEqual(case.billing_billed_hours, 0.5)
        self.assertEqual(case.billing_unit_label, "2 × 15 min (minimum charge)")
        self.assertEqual(case.billing_amount_estimate, 30.0)
        self.assertEqual(case.billing_amount_unbilled, 30.0)
        self.assertTrue(case.is_billable_now, case.billing_blockers)
        # The Load helpdesk cases grid reads the same.
        invoice = self._create_invoice()
        [row] = self._load_grid(invoice)
        self.assertEqual(
            (row["billing_units"], row["billing_unit_label"], row["billing_amount_estimate"]),
            (2, "2 × 15 min (minimum charge)", 30.0),
        )
        result = invoice.action_add_helpdesk_cases(case.ids)
        self.assertEqual(
            (result["units"], result["billed_hours"], result["amount"]),
            ([{"minutes": 15, "units": 2}], 0.5, 30.0),
        )
        line = invoice.invoice_line_ids
        self.assertEqual(line.quantity, 2.0)
        self.assertEqual(line.product_uom_id, self.team.case_billing_uom_id)
        self.assertEqual(line.price_subtotal, 30.0)
        self.assertEqual(invoice.amount_untaxed, 30.0)
        self.assertEqual(
            line.name,
            f"{case.number} - Printer down (closed 05/11/2026) - 2 × 15 min (minimum charge)",
        )

    def test_case_at_or_above_the_minimum_is_unchanged(self):
        for minutes, units, amount in ((20, 2, 30.0), (30, 2, 30.0), (31, 3, 45.0), (50, 4, 60.0)):
            with self.subTest(minutes=minutes):
                case = self._create_case(name=f"{minutes} min", minutes=(minutes,))
                self.assertEqual(case.billing_units, units)
                self.assertEqual(case.billing_unit_label, f"{units} × 15 min")
                self.assertEqual(case.billing_amount_estimate, amount)
                line = self._bill(case).invoice_line_ids
                self.assertEqual((line.quantity, line.price_subtotal), (units, amount))
                self.assertNotIn("minimum", line.name)

    def test_minimum_is_rounded_up_to_whole_units(self):
        # 20 minutes of minimum at 15-minute units: 2 units; at 7 minutes: 3.
        self.team.case_billing_minimum_minutes = 20
        case = self._create_case(minutes=(5,))
        self.assertEqual((case.billing_units, case.billing_amount_estimate), (2, 30.0))
        self.team.case_billing_unit_minutes = 7
        self.assertEqual(case.billing_units, 3)
        self.assertEqual(case.billing_unit_label, "3 × 7 min (minimum charge)")
        self.assertEqual(case.billing_amount_estimate, 21.0)
        self.assertEqual(self._bill(case).amount_untaxed, 21.0)

    def test_no_minimum_by_default(self):
        team = self.env["helpdesk.ticket.team"].create({"name": "New team"})
        self.assertEqual(team.case_billing_minimum_minutes, 0)
        self.assertEqual(team.case_billing_rounding, "case")
        self.team.case_billing_minimum_minutes = 0
        case = self._create_case(minutes=(10,))
        self.assertEqual((case.billing_units, case.billing_unit_label), (1, "1 × 15 min"))
        self.assertEqual(self._bill(case).amount_untaxed, 15.0)

    def test_case_without_time_is_not_billed_the_minimum(self):
        idle = self._create_case(name="Nothing done", minutes=())
        self.assertEqual((idle.billing_units, idle.billing_amount_estimate), (0, 0.0))
        self.assertFalse(idle.is_billable_now)
        self.assertIn("No time is spent on the case.", idle.billing_blockers)
        self.assertEqual(idle.billing_amount_unbilled, 0.0)
        # Time marked not billable does not count either.
        hidden = self._create_case(name="Courtesy call", minutes=(10,))
        hidden.timesheet_ids.case_billable = False
        self.assertEqual(hidden.billing_units, 0)
        self.assertFalse(hidden.is_billable_now)

    def test_flat_rate_ignores_the_minimum(self):
        self.team.case_billing_mode = "fixed"
        case = self._create_case(minutes=(5,))
        self.assertEqual((case.billing_units, case.billing_unit_label), (1, "flat rate"))
        self.assertEqual(self._bill(case).amount_untaxed, 60.0)

    def test_estimate_follows_a_change_of_the_minimum(self):
        case = self._create_case(minutes=(10,))
        self.assertEqual(case.billing_amount_unbilled, 30.0)
        self.team.case_billing_minimum_minutes = 60
        self.assertEqual(case.billing_units, 4)
        self.assertEqual(case.billing_amount_unbilled, 60.0)
        self.team.case_billing_minimum_minutes = 0
        self.assertEqual(case.billing_amount_unbilled, 15.0)

    def test_create_invoices_and_billing_run_bill_the_minimum(self):
        listed = self._create_case(name="From the list", minutes=(10,))
        listed.action_create_invoices()
        self.assertEqual(listed.invoice_id.amount_untaxed, 30.0)
        self.assertIn("2 × 15 min (minimum charge)", listed.invoice_id.invoice_line_ids.name)
        case = self._create_case(name="Month end", minutes=(5,))
        run = self.env["helpdesk.case.billing.run"].create(
            {
                "partner_ids": [Command.set(self.customer.ids)],
                "closed_until": fields.Date.today(),
            }
        )
        run.action_preview()
        [line] = run.line_ids
        self.assertEqual(line.ticket_ids, case)
        self.assertIn("2 × 15 min (minimum charge)", line.case_summary)
        self.assertAlmostEqual(line.billed_hours, 0.5)
        self.assertEqual(line.amount_untaxed, 30.0)

    # --- rounding each time line -------------------------------------------------

    def test_each_time_line_rounded_up(self):
        self.team.case_billing_minimum_minutes = 0
        case = self._create_case(name="Three calls", minutes=(7, 7, 7))
        self.assertEqual(case.billing_units, 2, "21 minutes as a total: 2 × 15 min")
        self.assertEqual(case.billing_amount_estimate, 30.0)
        self.team.case_billing_rounding = "line"
        self.assertEqual(case.billing_units, 3, "three lines of 7 minutes: 3 × 15 min")
        self.assertEqual(case.billing_unit_label, "3 × 15 min")
        self.assertAlmostEqual(case.billing_billed_hours, 0.75)
        self.assertEqual(case.billing_amount_estimate, 45.0)
        self.assertEqual(case.billing_amount_unbilled, 45.0)
        # A line marked not billable is not billed.
        self._log_time(case, 7).case_billable = False
        self.assertEqual(case.billing_units, 3)
        line = self._bill(case).invoice_line_ids
        self.assertEqual((line.quantity, line.price_subtotal), (3.0, 45.0))
        self.assertEqual(line.product_uom_id, self.team.case_billing_uom_id)

    def test_each_time_line_rounded_up_then_the_minimum(self):
        self.team.write({"case_billing_rounding": "line", "case_billing_minimum_minutes": 60})
        short = self._create_case(name="Two calls", minutes=(7, 7))
        self.assertEqual(short.billing_units, 4)
        self.assertEqual(short.billing_unit_label, "4 × 15 min (minimum charge)")
        # 5 lines of 7 minutes are 5 units, above the minimum of 4.
        long = self._create_case(name="Five calls", minutes=(7, 7, 7, 7, 7))
        self.assertEqual((long.billing_units, long.billing_unit_label), (5, "5 × 15 min"))
        invoice = self._bill(short | long)
        self.assertEqual(invoice.invoice_line_ids.mapped("quantity"), [4.0, 5.0])
        self.assertEqual(invoice.amount_untaxed, 135.0)

    # --- Odoo computes the money -------------------------------------------------

    def test_line_amounts_are_odoos_own(self):
        """Each case line equals a line Odoo computes by itself for the same
        product, quantity and unit, on the bulk paths too (amounts computed
        once per product and quantity), taxes included in the price or not."""
        tax_included = self.env["account.tax"].create(
            {
                "name": "VAT 21% included",
                "amount": 21.0,
                "type_tax_use": "sale",
                "price_include_override": "tax_included",
                "company_id": self.company.id,
            }
        )
        self.team.case_billing_unit_minutes = 7
        for price, taxes, rounding in (
            (55.0, self.tax_sale_a, "case"),
            (99.99, tax_included, "case"),
            (47.5, self.tax_sale_a | self.tax_sale_b, "line"),
        ):
            with self.subTest(price=price, taxes=taxes.mapped("name"), rounding=rounding):
                self.product_hour.write({"lst_price": price, "taxes_id": [Command.set(taxes.ids)]})
                self.team.case_billing_rounding = rounding
                cases = (
                    self._create_case(name="Short", minutes=(3,))
                    | self._create_case(name="Short too", minutes=(10,))
                    | self._create_case(name="Calls", minutes=(8, 8, 8))
                )
                self.assertEqual(cases[0].billing_units, 5, "a 30-min minimum is 5 × 7 min")
                self.assertEqual(cases[1].billing_units, 5)
                self.assertEqual(cases[2].billing_units, 6 if rounding == "line" else 5)
                invoice = self._bill(cases)
                reference = self._create_invoice()
                reference.write(
                    {
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "product_id": line.product_id.id,
                                    "product_uom_id": line.product_uom_id.id,
                                    "quantity": line.quantity,
                                }
                            )
                            for line in invoice.invoice_line_ids
                        ]
                    }
                )
                for line, ref in zip(
                    invoice.invoice_line_ids, reference.invoice_line_ids, strict=True
                ):
                    for fname in ("price_unit", "price_subtotal", "price_total", "balance"):
                        self.assertAlmostEqual(line[fname], ref[fname], places=6, msg=fname)
                    self.assertEqual(line.tax_ids, ref.tax_ids)
                for fname in ("amount_untaxed", "amount_tax", "amount_total"):
                    self.assertEqual(invoice[fname], reference[fname], fname)
                # The estimate is the list amount of the line, rounded once.
                for case, line in zip(cases, invoice.invoice_line_ids, strict=True):
                    if not taxes.filtered("price_include"):
                        self.assertEqual(case.billing_amount_estimate, line.price_subtotal)

    # --- the team's settings ------------------------------------------------------

    def test_negative_minimum_is_refused(self):
        for minutes in (-1, -30):
            with self.subTest(minutes=minutes), self.assertRaises(ValidationError) as caught:
                self.team.case_billing_minimum_minutes = minutes
            message = str(caught.exception)
            self.assertIn("minimum charge of team Support", message)
            self.assertIn("0 minutes or more", message)
            self.assertIn(str(minutes), message)
        with self.assertRaisesRegex(ValidationError, "minimum charge of team Bad"):
            self.env["helpdesk.ticket.team"].create(
                {"name": "Bad", "case_billing_minimum_minutes": -15}
            )
        # As a client sends it: the ORM would store 2.5 as 2.
        with self.assertRaisesRegex(ValidationError, "whole number of minutes, 0 for none"):
            self.team.write({"case_billing_minimum_minutes": 2.5})
        self.assertEqual(self.team.case_billing_minimum_minutes, 30)

    def test_settings_are_tracked_on_the_team(self):
        env = self.env(context={"lang": "en_US"})
        team = env["helpdesk.ticket.team"].create({"name": "Tracked"})
        env.cr.precommit.run()
        team.write({"case_billing_minimum_minutes": 30, "case_billing_rounding": "line"})
        env.cr.precommit.run()
        team.invalidate_recordset(["message_ids"])
        values = team.message_ids.tracking_value_ids
        minimum = values.filtered(lambda v: v.field_id.name == "case_billing_minimum_minutes")
        self.assertEqual((minimum.old_value_integer, minimum.new_value_integer), (0, 30))
        rounding = values.filtered(lambda v: v.field_id.name == "case_billing_rounding")
        self.assertEqual(
            (rounding.old_value_char, rounding.new_value_char), ("Case total", "Each time line")
        )

    def test_team_without_the_new_settings_bills_as_before(self):
        # Values left empty by code that does not know them: no minimum, the
        # case total rounded.
        self.env.cr.execute(
            "UPDATE helpdesk_ticket_team SET case_billing_minimum_minutes = NULL, "
            "case_billing_rounding = NULL WHERE id = %s",
            [self.team.id],
        )
        self.env.invalidate_all()
        case = self._create_case(minutes=(7, 7))
        self.assertEqual((case.billing_units, case.billing_unit_label), (1, "1 × 15 min"))

    # --- the customer's language --------------------------------------------------

    def test_label_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        self.customer.lang = "nl_NL"
        case = self._create_case(name="Printer down", minutes=(10,))
        self._closed_on(case, MAY_11)
        line = self._bill(case).invoice_line_ids
        self.assertEqual(
            line.name,
            f"{case.number} - Printer down (afgesloten op 11-05-2026) - 2 × 15 min "
            "(minimumtarief)",
            "in Dutch, the date as Dutch customers write it",
        )
        # The user's own screens stay in the user's language.
        self.assertEqual(case.billing_unit_label, "2 × 15 min (minimum charge)")
