# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime
from unittest.mock import patch

from odoo import Command, fields
from odoo.tests import tagged

from .common import CaseBillingCommon

BEFORE = date(2029, 12, 31)
AFTER = date(2030, 1, 1)


@tagged("post_install", "-at_install")
class TestCustomerPrices(CaseBillingCommon):
    """A case line takes its unit price from the invoice customer's pricelist
    when one of its rules applies (on the invoice date, for the line's
    quantity in the product's unit, in the invoice's currency), else from the
    product, as before; the grid shows that price before the case is added."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Pricelist = cls.env["product.pricelist"]
        # Pricelists switched on, as the Sales settings do.
        cls.env.ref("base.group_user").sudo().implied_ids += cls.env.ref(
            "product.group_product_pricelist"
        )
        # The pricelist of customers without one of their own: no rule.
        cls.standard_pricelist = Pricelist.create(
            {"name": "Standard prices", "sequence": 1, "company_id": cls.company.id}
        )
        # 80.00 an hour by the product; by contract 60.00 from 1 January 2030
        # (noon UTC: that day in any time zone), and 50.00 from 2 hours on.
        cls.pricelist = Pricelist.create(
            {
                "name": "Contract prices",
                "company_id": cls.company.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": cls.product_hour.id,
                            "compute_price": "fixed",
                            "fixed_price": 60.0,
                            "date_start": datetime(2030, 1, 1, 12, 0),
                        }
                    ),
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": cls.product_hour.id,
                            "compute_price": "fixed",
                            "fixed_price": 50.0,
                            "min_quantity": 2.0,
                        }
                    ),
                ],
            }
        )
        cls.customer.with_company(cls.company).property_product_pricelist = cls.pricelist

    def _invoice(self, day, partner=None, **values):
        invoice = self._create_invoice(partner=partner)
        invoice.write({"invoice_date": day, **values})
        return invoice

    def _bill(self, invoice, cases):
        """The grid's estimates of ``cases`` for ``invoice``, then the lines
        Load helpdesk cases adds: {case: (estimate, line)}."""
        rows = {row["id"]: row for row in self._load_grid(invoice)}
        invoice.action_add_helpdesk_cases(cases.ids)
        return {
            case: (rows[case.id]["billing_amount_estimate"], case.invoice_line_ids)
            for case in cases
        }

    def _pricelist_price(self, case, day, pricelist=None):
        """The price Odoo's pricelist gives the case's line."""
        return (pricelist or self.pricelist)._get_product_price(
            self.product_hour,
            case.billing_quantity,
            currency=(pricelist or self.pricelist).currency_id,
            uom=case.billing_uom_id,
            date=day,
        )

    def test_dated_rule_applies_from_its_date(self):
        cases = {
            day: self._create_case(name=f"Printer {day}", minutes=(20,)) for day in (BEFORE, AFTER)
        }
        # 2 units of 15 minutes: the product's 80.00 an hour before the date,
        # the contract's 60.00 from it on.
        for day, price_unit, amount in ((BEFORE, 20.0, 40.0), (AFTER, 15.0, 30.0)):
            with self.subTest(day=day):
                case = cases[day]
                invoice = self._invoice(day)
                estimate, line = self._bill(invoice, case)[case]
                self.assertEqual(line.price_unit, price_unit)
                self.assertEqual(line.price_subtotal, amount)
                self.assertEqual(estimate, amount, "the grid shows the line's amount")
                if day == AFTER:
                    self.assertEqual(line.price_unit, self._pricelist_price(case, day))

    def test_minimum_quantity_is_compared_in_hours(self):
        # 105 minutes are 7 units (1.75 h): under the 2 hours of the lower
        # price; 119 minutes are 8 units (2 h) and 125 minutes 9 (2.25 h).
        for day, amounts in (
            (BEFORE, {105: 140.0, 119: 100.0, 125: 112.5}),
            (AFTER, {105: 105.0, 119: 100.0, 125: 112.5}),
        ):
            with self.subTest(day=day):
                cases = {
                    minutes: self._create_case(name=f"{minutes} min", minutes=(minutes,))
                    for minutes in amounts
                }
                invoice = self._invoice(day)
                billed = self._bill(invoice, self.env["helpdesk.ticket"].union(*cases.values()))
                for minutes, case in cases.items():
                    estimate, line = billed[case]
                    self.assertEqual(line.price_subtotal, amounts[minutes], minutes)
                    self.assertEqual(estimate, amounts[minutes], minutes)
                    self.assertEqual(line.product_uom_id, self.team.case_billing_uom_id)
                    if day == AFTER or minutes > 105:
                        self.assertEqual(line.price_unit, self._pricelist_price(case, day))

    def test_minimum_quantity_in_units_of_any_length(self):
        # 7-minute units: 17 units are 1 h 59, 18 units 2 h 06.
        self.team.case_billing_unit_minutes = 7
        under = self._create_case(name="Under", minutes=(119,))
        over = self._create_case(name="Over", minutes=(126,))
        billed = self._bill(self._invoice(AFTER), under | over)
        self.assertEqual(billed[under][1].quantity, 17)
        self.assertEqual(billed[under][1].price_subtotal, 119.0, "17 × 7 min at 60.00")
        self.assertEqual(billed[over][1].price_subtotal, 105.0, "18 × 7 min at 50.00")
        for estimate, line in billed.values():
            self.assertEqual(estimate, line.price_subtotal)

    def test_customer_without_pricelist_is_billed_the_product_price(self):
        self.assertEqual(
            self.other_customer.with_company(self.company).property_product_pricelist,
            self.standard_pricelist,
        )
        short = self._create_case(name="Short", minutes=(20,), partner=self.other_customer)
        long = self._create_case(name="Long", minutes=(125,), partner=self.other_customer)
        billed = self._bill(self._invoice(AFTER, partner=self.other_customer), short | long)
        self.assertEqual(billed[short][1].price_subtotal, 40.0)
        self.assertEqual(billed[long][1].price_subtotal, 180.0)
        for estimate, line in billed.values():
            self.assertEqual(estimate, line.price_subtotal)
            self.assertEqual(line.price_unit, 20.0)

    def test_estimate_and_unbilled_revenue_on_the_case(self):
        # On the case: its customer's price today (2 hours or more at 50.00;
        # the dated price is not valid yet), in the company's currency.
        short = self._create_case(name="Short", minutes=(20,))
        long = self._create_case(name="Long", minutes=(125,))
        self.assertLess(fields.Date.today(), AFTER)
        self.assertEqual(short.billing_amount_estimate, 40.0)
        self.assertEqual(long.billing_amount_estimate, 112.5)
        self.assertEqual(long.billing_estimate_currency_id, self.company.currency_id)
        self.assertEqual(short.billing_amount_unbilled, 40.0)
        self.assertEqual(long.billing_amount_unbilled, 112.5)
        # Another pricelist for the customer: the unbilled revenue follows.
        self.customer.with_company(self.company).property_product_pricelist = (
            self.standard_pricelist
        )
        self.assertEqual(long.billing_amount_unbilled, 180.0)

    def test_create_invoices_and_billing_runs(self):
        # Create invoices: no invoice date yet, the price of today.
        long = self._create_case(name="Long", minutes=(125,))
        short = self._create_case(name="Short", minutes=(20,))
        (long | short).action_create_invoices()
        self.assertEqual(long.invoice_line_ids.price_subtotal, 112.5)
        self.assertEqual(short.invoice_line_ids.price_subtotal, 40.0)
        # A billing run dated after the date: the contract's price.
        later = self._create_case(name="Later", minutes=(20,))
        run = self.env["helpdesk.case.billing.run"].create(
            {
                "partner_ids": [Command.set(self.customer.ids)],
                "closed_until": fields.Date.today(),
                "invoice_date": AFTER,
            }
        )
        run.action_preview()
        run.action_start()

        def commit_progress(cron_self, processed=0, *, remaining=None, deactivate=False):
            cron_self.env.flush_all()
            return float("inf")

        with patch.object(type(self.env["ir.cron"]), "_commit_progress", commit_progress):
            self.env["helpdesk.case.billing.run"]._cron_process_billing_runs()
        self.assertEqual(later.invoice_id.invoice_date, AFTER)
        self.assertEqual(later.invoice_line_ids.price_subtotal, 30.0)

    def test_pricelist_in_another_currency(self):
        # 100.00 EUR an hour; 2 EUR for 1 in the company's currency.
        euro = self.setup_other_currency("EUR", rates=[("2000-01-01", 2.0)])
        euro_pricelist = self.env["product.pricelist"].create(
            {
                "name": "Euro contract",
                "currency_id": euro.id,
                "company_id": self.company.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": self.product_hour.id,
                            "compute_price": "fixed",
                            "fixed_price": 100.0,
                        }
                    )
                ],
            }
        )
        self.customer.with_company(self.company).property_product_pricelist = euro_pricelist
        in_euros = self._create_case(name="In euros", minutes=(20,))
        in_company_currency = self._create_case(name="Converted", minutes=(20,))
        # An invoice in euros: the pricelist's price; 2 units of 15 minutes.
        invoice = self._invoice(AFTER, currency_id=euro.id)
        grid_case = self.env["helpdesk.ticket"].with_context(
            helpdesk_case_billing_invoice_id=invoice.id
        ).browse(in_euros.id)
        self.assertEqual(grid_case.billing_estimate_currency_id, euro)
        estimate, line = self._bill(invoice, in_euros)[in_euros]
        self.assertEqual(line.price_unit, self._pricelist_price(in_euros, AFTER, euro_pricelist))
        self.assertEqual((line.price_unit, line.price_subtotal, estimate), (25.0, 50.0, 50.0))
        self.assertEqual(line.balance, -25.0)
        # An invoice in the company's currency: converted on the invoice date.
        invoice = self._invoice(AFTER)
        estimate, line = self._bill(invoice, in_company_currency)[in_company_currency]
        self.assertEqual((line.price_unit, line.price_subtotal, estimate), (12.5, 25.0, 25.0))
        # On the case: the company's currency, today.
        self.assertEqual(in_company_currency.billing_amount_estimate, 25.0)

    def test_grid_context_without_an_invoice(self):
        # A context naming no invoice, or one that does not exist, prices for
        # the case's own customer, today, as on the case.
        case = self._create_case(name="Long", minutes=(125,))
        Ticket = self.env["helpdesk.ticket"]
        for move_id in (0, 10**9, "x"):
            with self.subTest(move_id=move_id):
                ticket = Ticket.with_context(helpdesk_case_billing_invoice_id=move_id).browse(
                    case.id
                )
                self.assertEqual(ticket.billing_amount_estimate, 112.5)
        # The grid of an invoice dated after the date: 2 hours at least at 50.00.
        invoice = self._invoice(AFTER)
        self.assertEqual(
            Ticket.with_context(helpdesk_case_billing_invoice_id=invoice.id)
            .browse(case.id)
            .billing_amount_estimate,
            112.5,
        )
