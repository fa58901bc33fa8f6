# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import tagged

from odoo.addons.helpdesk_case_billing.tests.common import CaseBillingCommon
from odoo.addons.helpdesk_case_billing.tests.test_case_money import (
    EXACT_AMOUNT_EXAMPLES,
    CaseMoneyMixin,
    exact_amount,
)


@tagged("post_install", "-at_install")
class TestQuotationMoney(CaseMoneyMixin, CaseBillingCommon):
    """Every amount quoted for a case is exact, and a quoted case is billed
    once by its order."""

    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.quick_ref("sales_team.group_sale_manager")

    def _quote(self, case):
        case.action_create_quotations()
        return case.quotation_id

    def test_exact_amounts_for_any_billing_unit(self):
        """Units of any length: quantity = whole units, one rounding of the
        line's amount, on quotations."""
        self.product_hour.write({"lst_price": 60.0, "taxes_id": [Command.clear()]})
        for unit, minutes, price in EXACT_AMOUNT_EXAMPLES:
            with self.subTest(unit=unit, minutes=minutes, price=price):
                self.product_hour.lst_price = price
                self.team.case_billing_unit_minutes = unit
                units = -(-minutes // unit)
                expected = exact_amount(units, unit, price)
                case = self._create_case(name="Quoted case", minutes=(minutes,))
                self.assertEqual(case.billing_units, units)
                self.assertEqual(case.billing_amount_estimate, expected)
                self.assertEqual(case.billing_amount_unbilled, expected)
                order = self._quote(case)
                self.assertEqual(order.amount_untaxed, expected)
                self.assertEqual(order.order_line.product_uom_qty, units)

    def test_non_billable_time_is_never_quoted(self):
        self.product_hour.write({"lst_price": 60.0, "taxes_id": [Command.clear()]})
        case = self._create_case(name="Case 2", minutes=(30,))
        self._log_time(case, 45).case_billable = False
        self.assertAlmostEqual(case.billing_duration_hours, 0.5)
        self.assertEqual(case.billing_units, 2)
        self.assertEqual(case.billing_amount_unbilled, 30.0)
        order = self._quote(case)
        self.assertEqual(order.amount_untaxed, 30.0)
        self.assertNotIn("00:45", order.order_line.name)

    def test_credit_note_of_a_quoted_case_gives_it_back_to_its_order(self):
        case = self._create_case(minutes=(20,))
        order = self._quote(case)
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        self.assertEqual(case.invoice_id, invoice)
        self.assertEqual(self._report_total(case), 40.0)
        credit = self._reverse(invoice)
        credit.action_post()
        self.assertFalse(case.invoice_id)
        self.assertEqual(case.quotation_id, order, "quoted again: its order bills it")
        self.assertEqual(self._report_total(case), 0.0)

    def test_unbilled_revenue_of_a_quoted_case_is_its_quotation(self):
        self._customer_pricelist(
            {
                "applied_on": "0_product_variant",
                "product_id": self.product_hour.id,
                "compute_price": "fixed",
                "fixed_price": 60.0,
            }
        )
        case = self._create_case(minutes=(50,))
        self.assertEqual(case.billing_amount_unbilled, 60.0, "4 units at the contract price")
        order = self._quote(case)
        self.assertEqual(order.amount_untaxed, 60.0, "4 units at the contract price")
        self.assertEqual(case.billing_amount_unbilled, 60.0)
        # The quotation's price, whatever it is, once it is changed on the order.
        order.order_line.price_unit = 20.0
        self.assertEqual(case.billing_amount_unbilled, 80.0)
        order.action_cancel()
        self.assertEqual(case.billing_amount_unbilled, 60.0)

    def test_case_of_another_company_is_quoted_in_its_company(self):
        self.company_b = self.setup_other_company(name="Company B")["company"]
        both = (self.company | self.company_b).ids
        self.env.user.company_ids = [Command.set(both)]
        self.env = self.env(context=dict(self.env.context, allowed_company_ids=both))
        quoted = self._company_b_case("Quoted B")
        self.assertEqual(self._quote(quoted).company_id, self.company_b)
