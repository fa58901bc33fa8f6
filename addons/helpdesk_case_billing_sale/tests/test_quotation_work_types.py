# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import tagged

from odoo.addons.helpdesk_case_billing.tests.common import CaseBillingCommon


@tagged("post_install", "-at_install")
class TestQuotationWorkTypes(CaseBillingCommon):
    """A quotation made from a case has one line per work type, as its
    invoice would: the same quantities, each priced by the order's pricelist,
    the work of the team's product quoted with the team's quotation product."""

    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.quick_ref("sales_team.group_sale_manager")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        hour = cls.env.ref("uom.product_uom_hour")
        cls.product_hour.write({"lst_price": 60.0, "taxes_id": [Command.clear()]})
        cls.after_hours = cls.env["product.product"].create(
            {
                "name": "After-hours",
                "type": "service",
                "uom_id": hour.id,
                "list_price": 90.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.customer.lang = "en_US"

    def _case(self):
        case = self._create_case(name="Printer down", minutes=(20,), closed=False, solution=None)
        self._log_time(case, 25, 10).case_work_type_id = self.after_hours
        case.write({"solution": "<p>Fixed.</p>", "stage_id": self.stage_done.id})
        return case

    def test_one_quotation_line_per_work_type(self):
        case = self._case()
        # 2 units of the team's product (30.00), 3 after hours (35 min: 67.50).
        self.assertEqual(case.billing_amount_estimate, 97.5)
        case.action_create_quotations()
        order = case.quotation_id
        lines = order.order_line.sorted("id")
        self.assertEqual(lines.product_id, self.product_hour | self.after_hours)
        self.assertEqual(lines.mapped("product_uom_qty"), [2.0, 3.0])
        self.assertEqual(lines.product_uom_id, self.team.case_billing_uom_id)
        self.assertEqual(lines.mapped("price_subtotal"), [30.0, 67.5])
        self.assertEqual(order.amount_untaxed, 97.5)
        first, second = (name.split("\n") for name in lines.mapped("name"))
        self.assertEqual(first[0], f"{case.number} - Printer down - 2 × 15 min")
        self.assertEqual(len(first), 2, "the time line of the team's product")
        self.assertEqual(second[0], f"{case.number} - Printer down - After-hours - 3 × 15 min")
        self.assertEqual(len(second), 3, "the two after-hours time lines")
        self.assertEqual(lines.helpdesk_ticket_id, case)
        self.assertEqual(case.billing_amount_unbilled, 97.5)
        self.assertFalse(case.is_billable_now)
        # Invoiced through the order: the case is invoiced once.
        order.action_confirm()
        invoice = order._create_invoices()
        self.assertEqual(invoice.amount_untaxed, 97.5)
        self.assertEqual(case.invoice_id, invoice)

    def test_quotation_product_and_pricelist(self):
        quote = self.env["product.product"].create(
            {"name": "Support hour (quoted)", "type": "service", "list_price": 100.0,
             "uom_id": self.env.ref("uom.product_uom_hour").id, "taxes_id": [Command.clear()]}
        )
        self.team.case_billing_quotation_product_id = quote
        # The customer pays 80.00 an hour after hours.
        self._customer_pricelist(
            {
                "applied_on": "0_product_variant",
                "product_id": self.after_hours.id,
                "compute_price": "fixed",
                "fixed_price": 80.0,
            }
        )
        case = self._case()
        case.action_create_quotations()
        lines = case.quotation_id.order_line.sorted("id")
        self.assertEqual(lines.product_id, quote | self.after_hours)
        # 2 units of the quotation product (50.00), 3 after hours at 20.00.
        self.assertEqual(lines.mapped("price_subtotal"), [50.0, 60.0])
