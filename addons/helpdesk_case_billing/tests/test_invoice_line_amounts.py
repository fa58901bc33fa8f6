# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import tagged

from .common import CaseBillingCommon


@tagged("post_install", "-at_install")
class TestInvoiceLineAmounts(CaseBillingCommon):
    """Case lines are created with their amounts precomputed (one computation
    per product and quantity). Every invoice built that way must equal, line
    by line, the invoice Odoo builds from the same lines without amounts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_flat = cls.env["product.product"].create(
            {
                "name": "Flat-rate intervention",
                "type": "service",
                "lst_price": 45.0,
                "taxes_id": [Command.set((cls.tax_sale_a | cls.tax_sale_b).ids)],
            }
        )
        cls.team_fixed = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Flat-rate support",
                "company_id": cls.company.id,
                "default_project_id": cls.project.id,
                "case_billing_enabled": True,
                "case_billing_mode": "fixed",
                "case_billing_product_id": cls.product_flat.id,
            }
        )
        cls.tax_included = cls.env["account.tax"].create(
            {
                "name": "VAT 21% included",
                "amount": 21.0,
                "type_tax_use": "sale",
                "price_include_override": "tax_included",
                "company_id": cls.company.id,
            }
        )

    def _cases(self, minutes_list, team=None):
        return self.env["helpdesk.ticket"].union(
            *(
                self._create_case(name=f"Case {i}", minutes=minutes, team=team)
                for i, minutes in enumerate(minutes_list)
            )
        )

    def _bill_and_reference(self, cases, invoice_vals=None, reference_lines=None):
        """The invoice billing ``cases``, and a twin invoice whose lines are
        created from the same values minus the amounts and the case link."""
        invoice = self._create_invoice()
        reference = self._create_invoice()
        if invoice_vals:
            (invoice | reference).write(invoice_vals)
        if reference_lines:
            for move in invoice | reference:
                move.write({"invoice_line_ids": [Command.create(vals) for vals in reference_lines]})
        vals_list = cases._prepare_invoice_line_vals(reference)
        self.assertNotIn("amount_currency", vals_list[0])
        self.env["account.move.line"].create(
            [{k: v for k, v in vals.items() if k != "helpdesk_ticket_id"} for vals in vals_list]
        )
        invoice.action_add_helpdesk_cases(cases.ids)
        return invoice, reference

    def _snapshot(self, move):
        line_fields = [
            "display_type",
            "name",
            "product_id",
            "product_uom_id",
            "quantity",
            "price_unit",
            "discount",
            "tax_ids",
            "tax_tag_ids",
            "tax_line_id",
            "tax_repartition_line_id",
            "account_id",
            "currency_id",
            "currency_rate",
            "amount_currency",
            "balance",
            "debit",
            "credit",
            "price_subtotal",
            "price_total",
            "tax_base_amount",
            "date_maturity",
            "discount_amount_currency",
            "discount_balance",
        ]

        def value(line, fname):
            field_value = line[fname]
            if hasattr(field_value, "ids"):
                return tuple(field_value.ids)
            if isinstance(field_value, float):
                return round(field_value, 6)
            return field_value

        lines = move.line_ids.sorted(lambda line: (line.display_type or "", line.id))
        move_fields = [
            "amount_untaxed",
            "amount_tax",
            "amount_total",
            "amount_untaxed_signed",
            "amount_tax_signed",
            "amount_total_signed",
            "amount_residual",
        ]
        return {
            "move": {fname: move[fname] for fname in move_fields},
            "lines": [{fname: value(line, fname) for fname in line_fields} for line in lines],
        }

    def _assert_same_invoice(self, invoice, reference):
        got, expected = self._snapshot(invoice), self._snapshot(reference)
        self.assertEqual(got["move"], expected["move"])
        self.assertEqual(len(got["lines"]), len(expected["lines"]))
        for got_line, expected_line in zip(got["lines"], expected["lines"], strict=True):
            self.assertEqual(got_line, expected_line)
        self.assertTrue(invoice.line_ids.filtered("tax_line_id") or not invoice.invoice_line_ids.tax_ids)

    def test_tax_excluded_price_several_quantities(self):
        cases = self._cases([(20,), (20,), (50,), (5,), (20,), (125,)])
        invoice, reference = self._bill_and_reference(cases)
        self._assert_same_invoice(invoice, reference)
        self.assertEqual(invoice.amount_untaxed, 80.0 * (0.5 + 0.5 + 1.0 + 0.25 + 0.5 + 2.25))

    def test_without_tax(self):
        # No tax: Odoo's tax synchronisation keeps the amounts it is given.
        self.product_hour.write({"lst_price": 33.33, "taxes_id": [Command.clear()]})
        cases = self._cases([(20,), (35,), (5,)])
        invoice, reference = self._bill_and_reference(cases)
        self._assert_same_invoice(invoice, reference)
        self.assertEqual(invoice.amount_tax, 0.0)

    def test_tax_included_price_rounded_per_line(self):
        self.product_hour.write({"lst_price": 33.33, "taxes_id": [Command.set(self.tax_included.ids)]})
        cases = self._cases([(20,)] * 7 + [(10,)] * 3)
        invoice, reference = self._bill_and_reference(cases)
        self._assert_same_invoice(invoice, reference)

    def test_tax_included_price_rounded_globally(self):
        # Per-line and global rounding differ here: Odoo spreads the
        # difference over some lines, which must then differ from the others.
        self.company.tax_calculation_rounding_method = "round_globally"
        self.product_hour.write({"lst_price": 10.0, "taxes_id": [Command.set(self.tax_included.ids)]})
        cases = self._cases([(15,)] * 7)
        invoice, reference = self._bill_and_reference(cases)
        self._assert_same_invoice(invoice, reference)
        balances = set(invoice.invoice_line_ids.mapped("balance"))
        self.assertGreater(len(balances), 1, "the test needs a rounding difference to spread")

    def test_tax_excluded_price_rounded_globally(self):
        self.company.tax_calculation_rounding_method = "round_globally"
        self.product_hour.write({"lst_price": 10.01})
        cases = self._cases([(15,)] * 9)
        invoice, reference = self._bill_and_reference(cases)
        self._assert_same_invoice(invoice, reference)

    def test_foreign_currency(self):
        currency = self.setup_other_currency("EUR", rates=[("2000-01-01", 1.37)])
        cases = self._cases([(20,), (35,), (20,)])
        invoice, reference = self._bill_and_reference(
            cases, {"currency_id": currency.id, "invoice_date": "2026-11-20"}
        )
        self._assert_same_invoice(invoice, reference)
        line = invoice.invoice_line_ids[0]
        self.assertEqual(line.currency_id, currency)
        self.assertNotEqual(line.amount_currency, line.balance)

    def test_fiscal_position_maps_the_tax(self):
        cases = self._cases([(20,), (40,)])
        invoice, reference = self._bill_and_reference(
            cases, {"fiscal_position_id": self.fiscal_pos_a.id}
        )
        self._assert_same_invoice(invoice, reference)
        self.assertEqual(invoice.invoice_line_ids.tax_ids, self.tax_sale_b)

    def test_early_payment_discount_and_cash_rounding(self):
        term = self.env["account.payment.term"].create(
            {
                "name": "2% 10 days, net 30",
                "early_discount": True,
                "discount_percentage": 2.0,
                "discount_days": 10,
                "early_pay_discount_computation": "included",
                "line_ids": [Command.create({"value": "percent", "value_amount": 100.0, "nb_days": 30})],
            }
        )
        self.product_hour.lst_price = 33.33
        cases = self._cases([(20,), (20,), (50,)])
        invoice, reference = self._bill_and_reference(
            cases,
            {
                "invoice_payment_term_id": term.id,
                "invoice_cash_rounding_id": self.cash_rounding_a.id,
            },
        )
        self._assert_same_invoice(invoice, reference)

    def test_mixed_teams_and_existing_lines(self):
        cases = self._cases([(20,), (50,)]) | self._cases([(10,), ()], team=self.team_fixed)
        invoice, reference = self._bill_and_reference(
            cases,
            reference_lines=[{"product_id": self.product_b.id, "quantity": 3, "price_unit": 17.5}],
        )
        self._assert_same_invoice(invoice, reference)
        fixed = invoice.invoice_line_ids.filtered(lambda line: line.product_id == self.product_flat)
        self.assertEqual(fixed.mapped("quantity"), [1.0, 1.0])

    def test_any_billing_unit_with_taxes(self):
        # 7-minute units at 55.00 an hour: 6.4166… per unit, never rounded.
        self.team.case_billing_unit_minutes = 7
        self.product_hour.lst_price = 55.0
        cases = self._cases([(21,), (7,), (50,), (8,)])
        invoice, reference = self._bill_and_reference(cases)
        self._assert_same_invoice(invoice, reference)
        self.assertEqual(invoice.invoice_line_ids.mapped("price_subtotal"), [19.25, 6.42, 51.33, 12.83])

    def test_customer_pricelist_price_is_given_to_the_line(self):
        # A rule of the customer's pricelist sets the unit price (80.00 an hour
        # less 10 %); Odoo computes the rest of the line from it.
        self._customer_pricelist(
            {"applied_on": "3_global", "compute_price": "percentage", "percent_price": 10.0}
        )
        cases = self._cases([(20,), (35,), (20,)])
        invoice, reference = self._bill_and_reference(cases)
        self._assert_same_invoice(invoice, reference)
        self.assertEqual(invoice.invoice_line_ids.mapped("price_unit"), [18.0, 18.0, 18.0])
        self.assertEqual(invoice.amount_untaxed, 36.0 + 54.0 + 36.0)

