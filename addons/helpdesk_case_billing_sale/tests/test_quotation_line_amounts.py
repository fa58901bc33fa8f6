# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import tagged

from odoo.addons.helpdesk_case_billing.tests.common import CaseBillingCommon


@tagged("post_install", "-at_install")
class TestQuotationLineAmounts(CaseBillingCommon):
    """A case's quotation line is priced as Odoo prices a line of the same
    product, quantity and unit on the same order: pricelist, taxes, fiscal
    position and currency."""

    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.quick_ref("sales_team.group_sale_manager")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.ref("base.group_user").sudo().implied_ids += cls.env.ref(
            "product.group_product_pricelist"
        )

    def _assert_like_a_standard_line(self, case, order_vals=None):
        case.action_create_quotations()
        order = case.quotation_id
        if order_vals:
            order.write(order_vals)
            order._recompute_prices()
        ours = order.order_line
        standard = self.env["sale.order.line"].create(
            {
                "order_id": order.id,
                "product_id": ours.product_id.id,
                "product_uom_id": ours.product_uom_id.id,
                "product_uom_qty": ours.product_uom_qty,
            }
        )
        for fname in ("price_unit", "discount", "tax_ids", "price_subtotal", "price_tax", "price_total"):
            self.assertEqual(ours[fname], standard[fname], fname)
        return ours

    def test_pricelist(self):
        self._customer_pricelist(
            {"applied_on": "3_global", "compute_price": "percentage", "percent_price": 10.0}
        )
        self.team.case_billing_unit_minutes = 7
        line = self._assert_like_a_standard_line(self._create_case(minutes=(21,)))
        # 80.00 an hour less 10 %, 3 units of 7 minutes: 25.20, rounded once.
        self.assertEqual(line.price_subtotal, 25.2)

    def test_tax_included_price(self):
        tax = self.env["account.tax"].create(
            {
                "name": "VAT 21% included",
                "amount": 21.0,
                "type_tax_use": "sale",
                "price_include_override": "tax_included",
                "company_id": self.company.id,
            }
        )
        self.product_hour.write({"lst_price": 33.33, "taxes_id": [Command.set(tax.ids)]})
        line = self._assert_like_a_standard_line(self._create_case(minutes=(50,)))
        self.assertEqual(line.price_total, 33.33)

    def test_fiscal_position(self):
        self.customer.with_company(self.company).property_account_position_id = self.fiscal_pos_a
        line = self._assert_like_a_standard_line(self._create_case(minutes=(20,)))
        self.assertEqual(line.order_id.fiscal_position_id, self.fiscal_pos_a)
        self.assertEqual(line.tax_ids, self.tax_sale_b)

    def test_foreign_currency(self):
        currency = self.setup_other_currency("EUR", rates=[("2000-01-01", 1.37)])
        pricelist = self.env["product.pricelist"].create(
            {"name": "Euro prices", "currency_id": currency.id, "company_id": self.company.id}
        )
        line = self._assert_like_a_standard_line(
            self._create_case(minutes=(20,)), {"pricelist_id": pricelist.id}
        )
        self.assertEqual(line.currency_id, currency)
        self.assertEqual(line.price_subtotal, 54.8, "2 × 15 min at 80.00 × 1.37")
