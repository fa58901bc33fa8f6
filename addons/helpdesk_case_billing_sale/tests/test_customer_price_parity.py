# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime

from odoo import Command
from odoo.tests import tagged

from odoo.addons.helpdesk_case_billing.tests.common import CaseBillingCommon

BEFORE = date(2029, 12, 31)
AFTER = date(2030, 1, 1)


@tagged("post_install", "-at_install")
class TestCustomerPriceParity(CaseBillingCommon):
    """A case line on an invoice has the unit price a sales order line gets
    for the same product, quantity, unit, customer pricelist, date, currency
    and fiscal position: Odoo's own price with a pricelist. Quotations made
    from cases are priced by their order's pricelist."""

    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.quick_ref("sales_team.group_sale_manager")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.ref("base.group_user").sudo().implied_ids += cls.env.ref(
            "product.group_product_pricelist"
        )
        cls.euro = cls.setup_other_currency("EUR", rates=[("2000-01-01", 2.0)])
        # 80.00 an hour by the product; by contract 60.00 from 1 January 2030
        # (noon UTC), and 50.00 from 2 hours on.
        cls.pricelist = cls._contract_pricelist("Contract prices", cls.company.currency_id, 60.0, 50.0)
        cls.euro_pricelist = cls._contract_pricelist("Euro contract", cls.euro, 130.0, 110.0)
        cls.customer.with_company(cls.company).property_product_pricelist = cls.pricelist
        # A tax included in the price, mapped by a fiscal position to one that is not.
        cls.tax_included = cls.env["account.tax"].create(
            {
                "name": "VAT 21% included",
                "amount": 21.0,
                "type_tax_use": "sale",
                "price_include_override": "tax_included",
                "company_id": cls.company.id,
            }
        )
        cls.fiscal_export = cls.env["account.fiscal.position"].create(
            {"name": "Export", "company_id": cls.company.id}
        )
        cls.env["account.tax"].create(
            {
                "name": "Export 0%",
                "amount": 0.0,
                "type_tax_use": "sale",
                "company_id": cls.company.id,
                "fiscal_position_ids": [Command.set(cls.fiscal_export.ids)],
                "original_tax_ids": [Command.set(cls.tax_included.ids)],
            }
        )

    @classmethod
    def _contract_pricelist(cls, name, currency, dated_price, volume_price):
        return cls.env["product.pricelist"].create(
            {
                "name": name,
                "currency_id": currency.id,
                "company_id": cls.company.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": cls.product_hour.id,
                            "compute_price": "fixed",
                            "fixed_price": dated_price,
                            "date_start": datetime(2030, 1, 1, 12, 0),
                        }
                    ),
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": cls.product_hour.id,
                            "compute_price": "fixed",
                            "fixed_price": volume_price,
                            "min_quantity": 2.0,
                        }
                    ),
                ],
            }
        )

    def _sale_line(self, line, day, pricelist, fiscal_position):
        """A sales order line of the case line's product, unit and quantity,
        for the same customer, pricelist, day and fiscal position."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "pricelist_id": pricelist.id,
                "fiscal_position_id": fiscal_position.id,
                "date_order": datetime(day.year, day.month, day.day, 15, 0),
                "order_line": [
                    Command.create(
                        {
                            "product_id": line.product_id.id,
                            "product_uom_id": line.product_uom_id.id,
                            "product_uom_qty": line.quantity,
                        }
                    )
                ],
            }
        )
        self.assertEqual(order.currency_id, pricelist.currency_id)
        return order.order_line

    def _assert_parity(self, unit, minutes, day, pricelist, fiscal_position):
        self.team.case_billing_unit_minutes = unit
        self.customer.with_company(self.company).property_product_pricelist = pricelist
        case = self._create_case(name=f"{minutes} min", minutes=(minutes,))
        invoice = self._create_invoice()
        invoice.write(
            {
                "invoice_date": day,
                "currency_id": pricelist.currency_id.id,
                "fiscal_position_id": fiscal_position.id,
            }
        )
        [row] = [row for row in self._load_grid(invoice) if row["id"] == case.id]
        invoice.action_add_helpdesk_cases(case.ids)
        line = case.invoice_line_ids
        sale_line = self._sale_line(line, day, pricelist, fiscal_position)
        self.assertEqual(line.price_unit, sale_line.price_unit)
        self.assertEqual(line.tax_ids, sale_line.tax_ids)
        self.assertEqual(sale_line.discount, 0.0)
        self.assertEqual(line.price_subtotal, sale_line.price_subtotal)
        self.assertEqual(line.price_total, sale_line.price_total)
        # The grid's amount: the line's quantity × unit price, rounded once
        # (its untaxed amount unless taxes are included in the price).
        self.assertEqual(
            row["billing_amount_estimate"], line.currency_id.round(line.quantity * line.price_unit)
        )
        if not line.tax_ids.filtered(lambda tax: tax.price_include):
            self.assertEqual(row["billing_amount_estimate"], line.price_subtotal)
        return line

    def test_parity_with_a_sales_order_line(self):
        no_position = self.env["account.fiscal.position"]
        for unit, minutes in ((15, 20), (15, 105), (15, 125), (7, 119), (7, 126), (60, 130)):
            for day in (BEFORE, AFTER):
                for pricelist in (self.pricelist, self.euro_pricelist):
                    with self.subTest(unit=unit, minutes=minutes, day=day, pricelist=pricelist.name):
                        self._assert_parity(unit, minutes, day, pricelist, no_position)

    def test_parity_amounts(self):
        # To the cent: 2 units of 15 minutes, before the date at the product's
        # price, after it at the contract's; 9 units at the price from 2 hours.
        no_position = self.env["account.fiscal.position"]
        cases = (
            (20, BEFORE, self.pricelist, 40.0),
            (20, AFTER, self.pricelist, 30.0),
            (125, BEFORE, self.pricelist, 112.5),
            (20, AFTER, self.euro_pricelist, 65.0),
            (125, BEFORE, self.euro_pricelist, 247.5),
        )
        for minutes, day, pricelist, amount in cases:
            with self.subTest(minutes=minutes, day=day, pricelist=pricelist.name):
                line = self._assert_parity(15, minutes, day, pricelist, no_position)
                self.assertEqual(line.price_subtotal, amount)
        # Before the date and under 2 hours in euros: no rule, the product's
        # 80.00 an hour converted (2 EUR for 1).
        line = self._assert_parity(15, 20, BEFORE, self.euro_pricelist, no_position)
        self.assertEqual(line.price_subtotal, 80.0)

    def test_parity_with_a_fiscal_position_and_taxes_included(self):
        self.product_hour.taxes_id = self.tax_included
        for minutes, day in ((20, BEFORE), (20, AFTER), (125, AFTER)):
            for position in (self.env["account.fiscal.position"], self.fiscal_export):
                with self.subTest(minutes=minutes, day=day, position=position.name):
                    line = self._assert_parity(15, minutes, day, self.pricelist, position)
                    if position and day == AFTER and minutes == 20:
                        # 60.00 an hour taxes included, 49.59 without the tax.
                        self.assertEqual(line.price_subtotal, 24.79)

    def test_quotation_priced_by_the_order_pricelist(self):
        # The quotation is priced by its order's pricelist (the customer's), on
        # the order's date: today, before the dated price.
        short = self._create_case(name="Short", minutes=(20,))
        long = self._create_case(name="Long", minutes=(125,))
        (short | long).action_create_quotations()
        for case, amount in ((short, 40.0), (long, 112.5)):
            order = case.quotation_id
            self.assertEqual(order.pricelist_id, self.pricelist)
            self.assertEqual(order.amount_untaxed, amount)
            self.assertEqual(case.billing_amount_estimate, amount)
        # Its date moved after the date and its prices updated, as Odoo does.
        order = short.quotation_id
        order.date_order = datetime(2030, 1, 2, 9, 0)
        order.action_update_prices()
        self.assertEqual(order.amount_untaxed, 30.0)
        # Another pricelist on the order prices it.
        order.pricelist_id = self.euro_pricelist
        order.action_update_prices()
        self.assertEqual(order.currency_id, self.euro)
        self.assertEqual(order.amount_untaxed, 65.0, "2 × 15 min at 130.00 EUR")
