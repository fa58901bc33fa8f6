# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import CaseBillingCommon
from .test_billing_run import BillingRunCommon

MAY_11 = date(2026, 5, 11)


@tagged("post_install", "-at_install")
class TestWorkTypes(CaseBillingCommon):
    """A time line's work type: one invoice line per case and work type, each
    rounded to billing units on its own and priced by its own product (and the
    customer's pricelist); the case's figures, the grid, the billing run and
    credit notes add them up to the cent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 15-minute units: 15.00 a unit of the team's product, 22.50 after hours.
        cls.product_hour.write({"lst_price": 60.0, "taxes_id": [Command.clear()]})
        Product = cls.env["product.product"]
        hour = cls.env.ref("uom.product_uom_hour")
        cls.after_hours = Product.create(
            {"name": "After-hours", "type": "service", "uom_id": hour.id, "lst_price": 90.0}
        )
        cls.on_site = Product.create(
            {"name": "On-site", "type": "service", "uom_id": hour.id, "lst_price": 72.0}
        )
        cls.customer.lang = "en_US"

    @classmethod
    def _log_work(cls, ticket, work_type, *minutes):
        lines = cls._log_time(ticket, *minutes)
        lines.case_work_type_id = work_type
        return lines

    def _case(self, default=(), after_hours=(), on_site=(), name="Printer down"):
        case = self._create_case(name=name, minutes=default, closed=False, solution=None)
        if after_hours:
            self._log_work(case, self.after_hours, *after_hours)
        if on_site:
            self._log_work(case, self.on_site, *on_site)
        case.write({"solution": "<p>Fixed.</p>", "stage_id": self.stage_done.id})
        self._closed_on(case, MAY_11)
        return case

    def _bill(self, case):
        """The grid's row of ``case`` for a new invoice, then the invoice
        Load helpdesk cases made: (row, invoice, {line name: subtotal})."""
        invoice = self._create_invoice()
        [row] = [row for row in self._load_grid(invoice) if row["id"] == case.id]
        invoice.action_add_helpdesk_cases(case.ids)
        lines = {line.name: line.price_subtotal for line in invoice.invoice_line_ids}
        return row, invoice, lines

    # --- one line per case and work type -------------------------------------

    def test_one_line_per_work_type(self):
        # 20 min of the team's product (2 units, 30.00) and 25 min after hours
        # (2 units at 22.50, 45.00).
        case = self._case(default=(20,), after_hours=(25,))
        self.assertEqual(case.billing_units, 4)
        self.assertEqual(case.billing_quantity, 4.0)
        self.assertAlmostEqual(case.billing_billed_hours, 1.0)
        self.assertEqual(case.billing_unit_label, "4 × 15 min")
        self.assertEqual(case.billing_amount_estimate, 75.0)
        self.assertEqual(case.billing_amount_unbilled, 75.0)
        self.assertEqual(
            case.billing_work_type_summary,
            "Helpdesk work (hour): 00:20 spent, billed as 2 × 15 min\n"
            "After-hours: 00:25 spent, billed as 2 × 15 min",
        )
        row, invoice, lines = self._bill(case)
        self.assertEqual(row["billing_amount_estimate"], 75.0)
        prefix = f"{case.number} - Printer down (closed 05/11/2026) - "
        self.assertEqual(
            lines,
            {
                f"{prefix}2 × 15 min": 30.0,
                f"{prefix}After-hours - 2 × 15 min": 45.0,
            },
        )
        self.assertEqual(invoice.amount_untaxed, 75.0)
        self.assertEqual(
            invoice.invoice_line_ids.product_id, self.product_hour | self.after_hours
        )
        self.assertEqual(set(invoice.invoice_line_ids.mapped("quantity")), {2.0})
        self.assertEqual(invoice.invoice_line_ids.product_uom_id, self.team.case_billing_uom_id)
        self.assertEqual(case.invoice_id, invoice)
        self.assertEqual(invoice.helpdesk_ticket_ids, case)

    def test_each_work_type_is_rounded_on_its_own(self):
        # 7 min of each: one unit each (15.00 + 22.50), not one unit in all.
        case = self._case(default=(7,), after_hours=(7,))
        self.assertEqual((case.billing_units, case.billing_amount_estimate), (2, 37.5))
        self.assertEqual(self._bill(case)[1].amount_untaxed, 37.5)
        # Each time line rounded up: 5 + 5 min after hours are 2 units (45.00).
        self.team.case_billing_rounding = "line"
        lines = self._case(default=(20,), after_hours=(5, 5))
        self.assertEqual((lines.billing_units, lines.billing_amount_estimate), (4, 75.0))
        self.assertEqual(self._bill(lines)[1].amount_untaxed, 75.0)

    def test_three_work_types_with_any_billing_unit(self):
        # 7-minute units: 55.00 an hour is not needed, the prices scale exactly:
        # 3 × 7 min of the team's product (21.00), 2 × 7 min after hours
        # (21.00), 4 × 7 min on site (33.60).
        self.team.case_billing_unit_minutes = 7
        case = self._case(default=(20,), after_hours=(10,), on_site=(25,))
        self.assertEqual(case.billing_units, 9)
        self.assertEqual(case.billing_amount_estimate, 75.6)
        row, invoice, lines = self._bill(case)
        self.assertEqual(row["billing_amount_estimate"], 75.6)
        self.assertEqual(sorted(lines.values()), [21.0, 21.0, 33.6])
        self.assertEqual(invoice.amount_untaxed, 75.6)

    # --- with the customer's pricelist and the minimum charge ---------------

    def test_customer_pricelist_rule_on_a_work_type(self):
        # The customer pays 80.00 an hour after hours (from 2 units: 1 hour
        # and more, 70.00); the team's product keeps its price.
        self._customer_pricelist(
            {
                "applied_on": "0_product_variant",
                "product_id": self.after_hours.id,
                "compute_price": "fixed",
                "fixed_price": 80.0,
            }
        ).item_ids = [
            Command.create(
                {
                    "applied_on": "0_product_variant",
                    "product_id": self.after_hours.id,
                    "compute_price": "fixed",
                    "fixed_price": 70.0,
                    "min_quantity": 1.0,
                }
            )
        ]
        short = self._case(default=(20,), after_hours=(25,), name="Short night")
        # 2 units after hours at 20.00 (half an hour, below the hour): 40.00.
        self.assertEqual(short.billing_amount_estimate, 70.0)
        row, invoice, lines = self._bill(short)
        self.assertEqual(row["billing_amount_estimate"], 70.0)
        self.assertEqual(sorted(lines.values()), [30.0, 40.0])
        self.assertEqual(invoice.amount_untaxed, 70.0)
        # 5 units after hours (75 min, above the hour) at 17.50: 87.50.
        long = self._case(default=(20,), after_hours=(75,), name="Long night")
        row, invoice, lines = self._bill(long)
        self.assertEqual(row["billing_amount_estimate"], 117.5)
        self.assertEqual(sorted(lines.values()), [30.0, 87.5])
        self.assertEqual(invoice.amount_untaxed, 117.5)

    def test_minimum_charge_over_all_work_types(self):
        # A minimum of 1 hour (4 units) applies to the case's total: the
        # missing units go to the team's product, whose line says so.
        self.team.case_billing_minimum_minutes = 60
        night = self._case(after_hours=(10,), name="Night call")
        self.assertEqual(night.billing_units, 4)
        self.assertEqual(night.billing_unit_label, "4 × 15 min (minimum charge)")
        # 1 unit after hours (22.50) and 3 units of the team's product (45.00).
        self.assertEqual(night.billing_amount_estimate, 67.5)
        row, invoice, lines = self._bill(night)
        self.assertEqual(row["billing_amount_estimate"], 67.5)
        prefix = f"{night.number} - Night call (closed 05/11/2026) - "
        self.assertEqual(
            lines,
            {
                f"{prefix}3 × 15 min (minimum charge)": 45.0,
                f"{prefix}After-hours - 1 × 15 min": 22.5,
            },
        )
        # The team's product has time: its line gets the missing unit.
        mixed = self._case(default=(20,), after_hours=(10,), name="Mixed")
        self.assertEqual(mixed.billing_amount_estimate, 67.5)
        row, invoice, lines = self._bill(mixed)
        prefix = f"{mixed.number} - Mixed (closed 05/11/2026) - "
        self.assertEqual(
            lines,
            {
                f"{prefix}3 × 15 min (minimum charge)": 45.0,
                f"{prefix}After-hours - 1 × 15 min": 22.5,
            },
        )
        # At or above the minimum, nothing is added.
        enough = self._case(default=(20,), after_hours=(25,), name="Enough")
        self.assertEqual((enough.billing_units, enough.billing_amount_estimate), (4, 75.0))
        self.assertNotIn("minimum", " ".join(self._bill(enough)[2]))

    def test_minimum_charge_with_a_pricelist_rule(self):
        # The customer's price of the team's product is 40.00 an hour: the
        # units the minimum adds are priced by it too.
        self._customer_pricelist(
            {
                "applied_on": "0_product_variant",
                "product_id": self.product_hour.id,
                "compute_price": "fixed",
                "fixed_price": 40.0,
            }
        )
        self.team.case_billing_minimum_minutes = 60
        case = self._case(after_hours=(10,))
        # 3 units at 10.00 and 1 unit after hours at 22.50.
        self.assertEqual(case.billing_amount_estimate, 52.5)
        row, invoice, lines = self._bill(case)
        self.assertEqual(row["billing_amount_estimate"], 52.5)
        self.assertEqual(sorted(lines.values()), [22.5, 30.0])
        self.assertEqual(invoice.amount_untaxed, 52.5)

    def test_flat_rate_ignores_work_types(self):
        self.team.case_billing_mode = "fixed"
        case = self._case(default=(20,), after_hours=(25,))
        self.assertEqual((case.billing_units, case.billing_unit_label), (1, "flat rate"))
        self.assertFalse(case.billing_work_type_summary)
        self.assertEqual(case.billing_amount_estimate, 60.0)
        row, invoice, lines = self._bill(case)
        self.assertEqual(list(lines.values()), [60.0])
        self.assertEqual(invoice.invoice_line_ids.product_id, self.product_hour)

    def test_team_product_as_work_type_is_the_default(self):
        # A work type that is the team's product bills as a line without one.
        case = self._create_case(minutes=(10, 10))
        case.timesheet_ids[0].case_work_type_id = self.product_hour
        self.assertFalse(case.billing_work_type_summary)
        self.assertEqual((case.billing_units, case.billing_amount_estimate), (2, 30.0))
        self.assertEqual(len(self._bill(case)[1].invoice_line_ids), 1)

    # --- what relies on a case's lines ----------------------------------------

    def test_billing_run_preview_equals_the_invoice(self):
        self.team.case_billing_minimum_minutes = 60
        case = self._case(default=(20,), after_hours=(10,), on_site=(35,))
        run = self.env["helpdesk.case.billing.run"].create(
            {
                "partner_ids": [Command.set(self.customer.ids)],
                "closed_until": fields.Date.today(),
            }
        )
        run.action_preview()
        [line] = run.line_ids
        # 2 units (30.00), 1 after hours (22.50), 3 on site (54.00): 106.50.
        self.assertEqual(line.amount_untaxed, 106.5)
        self.assertEqual(line.case_ids.amount_untaxed, 106.5)
        self.assertEqual(line.case_ids.unit_label, "6 × 15 min")
        self.assertAlmostEqual(line.billed_hours, 1.5)
        run.action_start()
        # The scheduled action, its commits made no-ops, in the test's transaction.
        with BillingRunCommon._cron_chunks(self):
            self.env["helpdesk.case.billing.run"]._cron_process_billing_runs()
        self.assertEqual(run.state, "done")
        self.assertEqual(case.invoice_id.amount_untaxed, 106.5)
        self.assertEqual(len(case.invoice_line_ids), 3)

    def test_create_invoices_and_credit_notes(self):
        case = self._case(default=(20,), after_hours=(25,))
        case.action_create_invoices()
        invoice = case.invoice_id
        self.assertEqual((len(invoice.invoice_line_ids), invoice.amount_untaxed), (2, 75.0))
        invoice.action_post()
        # Crediting one of its two lines is a partial credit: still billed.
        partial = invoice._reverse_moves()
        partial.invoice_line_ids.filtered(
            lambda line: line.product_id == self.after_hours
        ).unlink()
        partial.action_post()
        self.assertEqual(case.invoice_id, invoice)
        # Crediting both in full frees the case.
        full = invoice._reverse_moves()
        full.action_post()
        self.assertFalse(case.invoice_id)
        self.assertTrue(case.is_billable_now, case.billing_blockers)

    def test_two_lines_of_a_case_on_one_invoice_not_on_two(self):
        case = self._case(default=(20,), after_hours=(25,))
        invoice = self._bill(case)[1]
        case._check_billed_once()
        other = self._create_invoice()
        with self.assertRaises(UserError):
            other.action_add_helpdesk_cases(case.ids)
        # Removing one of its lines leaves the case on its invoice.
        invoice.invoice_line_ids.filtered(
            lambda line: line.product_id == self.after_hours
        ).unlink()
        self.assertEqual(case.invoice_id, invoice)

    def test_work_type_is_locked_with_the_case(self):
        case = self._case(default=(20,), after_hours=(25,))
        line = case.timesheet_ids.filtered("case_work_type_id")
        self._bill(case)
        with self.assertRaises(UserError):
            line.case_work_type_id = self.on_site
        with self.assertRaises(UserError):
            case.timesheet_ids.filtered(lambda t: not t.case_work_type_id).case_work_type_id = (
                self.after_hours
            )

    def test_work_type_is_a_service_sold_by_time(self):
        case = self._create_case(closed=False)
        units = self.env["product.product"].create(
            {"name": "Toner", "type": "consu", "lst_price": 30.0}
        )
        with self.assertRaises(ValidationError):
            case.timesheet_ids.case_work_type_id = units
        licence = self.env["product.product"].create(
            {"name": "Licence", "type": "service", "lst_price": 30.0}
        )
        with self.assertRaises(ValidationError):
            case.timesheet_ids.case_work_type_id = licence
        domain = self.env["account.analytic.line"]._get_case_work_type_domain()
        found = self.env["product.product"].search(domain)
        self.assertIn(self.after_hours, found)
        self.assertNotIn(licence, found)
        self.assertNotIn(units, found)

    def test_ticket_form_sets_a_work_type(self):
        case = self._create_case(minutes=(), closed=False, solution=None)
        with Form(case) as form, form.timesheet_ids.new() as line:
            line.name = "Night intervention"
            line.employee_id = self.employee
            line.unit_amount = 0.5
            line.case_work_type_id = self.after_hours
        self.assertEqual(case.timesheet_ids.case_work_type_id, self.after_hours)
        self.assertEqual(case.billing_amount_estimate, 45.0)
        self.assertIn("After-hours: 00:30 spent", case.billing_work_type_summary)

    def test_new_column_is_not_required(self):
        # A time line logged without the addon's values is a plain time line.
        self.env.cr.execute(
            "SELECT is_nullable FROM information_schema.columns "
            "WHERE table_name = 'account_analytic_line' AND column_name = 'case_work_type_id'"
        )
        self.assertEqual(self.env.cr.fetchone()[0], "YES")
        self.assertFalse(
            self.env["account.analytic.line"]._fields["case_work_type_id"].required
        )
