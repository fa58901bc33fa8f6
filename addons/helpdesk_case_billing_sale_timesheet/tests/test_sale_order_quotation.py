# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.helpdesk_case_billing.tests.common import CaseBillingCommon


@tagged("post_install", "-at_install")
class TestSaleOrderCaseQuotation(CaseBillingCommon):
    """A case billed through a sales order item is not quoted: Create
    quotation (helpdesk_case_billing_sale) is not offered on it, and the
    server refuses it when called anyway."""

    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.quick_ref("sales_team.group_sale_manager")

    def setUp(self):
        super().setUp()
        if "case_quotation_offered" not in self.env["helpdesk.ticket"]._fields:
            self.skipTest("helpdesk_case_billing_sale is not installed")

    def test_no_quotation_for_a_case_on_a_sales_order(self):
        self.team.case_billing_sale_order = True
        hours = self.env["product.product"].create(
            {
                "name": "Support pack (prepaid hours)",
                "type": "service",
                "invoice_policy": "order",
                "service_type": "timesheet",
                "uom_id": self.env.ref("uom.product_uom_hour").id,
                "list_price": 90.0,
            }
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "order_line": [Command.create({"product_id": hours.id, "product_uom_qty": 5})],
            }
        )
        order.action_confirm()
        case = self._create_case(name="On the support pack")
        self.assertEqual(case.sale_line_id, order.order_line)
        self.assertFalse(case.case_quotation_offered)
        arch = self.env["helpdesk.ticket"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('invisible="not case_quotation_offered"', arch)

        orders = self.env["sale.order"].search_count([])
        with self.assertRaisesRegex(
            UserError, rf"cannot be quoted:(.|\n)*Billed through sales order {order.name}\."
        ):
            case.action_create_quotations()
        self.assertEqual(self.env["sale.order"].search_count([]), orders)
        self.assertFalse(case.quotation_id)

        # Taken off the order, it is billed as a case and may be quoted.
        case.sale_line_id = False
        self.assertTrue(case.case_quotation_offered)
        case.action_create_quotations()
        self.assertTrue(case.quotation_id)
        self.assertFalse(case.case_quotation_offered)
