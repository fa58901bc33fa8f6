# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import tagged

from odoo.addons.helpdesk_case_billing.tests.common import CaseBillingCommon
from odoo.addons.helpdesk_case_billing.tests.test_billing_reports import UnbilledRevenueMixin


@tagged("post_install", "-at_install")
class TestSaleOrderUnbilledRevenue(UnbilledRevenueMixin, CaseBillingCommon):
    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.quick_ref("sales_team.group_sale_manager")

    def test_sales_order_reason(self):
        sale_order_team = self.env["helpdesk.ticket.team"].create(
            {
                "name": "Sales order support",
                "company_id": self.company.id,
                "default_project_id": self.project.id,
                "case_billing_enabled": True,
                "case_billing_sale_order": True,
            }
        )
        case = self._create_case(name="On order", team=sale_order_team)
        self.assertEqual(self._stored_reason(case), "ready")

        hours = self.env["product.product"].create(
            {
                "name": "Support pack",
                "type": "service",
                "invoice_policy": "order",
                "service_type": "timesheet",
                "uom_id": self.env.ref("uom.product_uom_hour").id,
            }
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": hours.id, "product_uom_qty": 5})],
            }
        )
        order.action_confirm()
        case.sale_line_id = order.order_line
        self.assertEqual(self._stored_reason(case), "on_sale_order")
        case.sale_line_id = False
        self.assertEqual(self._stored_reason(case), "ready")
