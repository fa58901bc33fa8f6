# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command

from odoo.addons.helpdesk_case_billing.tests.common import CaseBillingCommon


class SaleOrderHoursCommon(CaseBillingCommon):
    """A team billing on sales orders, with prepaid hours (90.00 an hour),
    post-paid hours on timesheets (100.00 an hour) and a service sold in units."""

    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.quick_ref("sales_team.group_sale_manager")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.case_billing_sale_order = True
        hour = cls.env.ref("uom.product_uom_hour")
        Product = cls.env["product.product"]
        cls.prepaid_hours = Product.create(
            {
                "name": "Support pack (prepaid hours)",
                "type": "service",
                "invoice_policy": "order",
                "service_type": "timesheet",
                "uom_id": hour.id,
                "list_price": 90.0,
            }
        )
        cls.postpaid_hours = Product.create(
            {
                "name": "Support on timesheets",
                "type": "service",
                "invoice_policy": "delivery",
                "service_type": "timesheet",
                "uom_id": hour.id,
                "list_price": 100.0,
            }
        )
        cls.units_service = Product.create(
            {"name": "Setup fee", "type": "service", "invoice_policy": "order"}
        )

    @classmethod
    def _order(cls, product, qty=2.0, partner=None, confirm=True, date_order=None):
        order = cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "company_id": cls.company.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": qty})],
            }
        )
        if confirm:
            order.action_confirm()
        if date_order:
            order.date_order = date_order
        return order.order_line

    @classmethod
    def _ticket(cls, **values):
        return cls.env["helpdesk.ticket"].create(
            {
                "name": "VPN drops",
                "description": "<p>VPN drops</p>",
                "partner_id": cls.contact.id,
                "team_id": cls.team.id,
                "project_id": cls.project.id,
                **values,
            }
        )

    @classmethod
    def _log(cls, ticket, hours, day=None):
        return cls.env["account.analytic.line"].create(
            {
                "name": "Work",
                "ticket_id": ticket.id,
                "employee_id": cls.employee.id,
                "unit_amount": hours,
                **({"date": day} if day else {}),
            }
        )

    @classmethod
    def _invoice_period(cls, order, start, end):
        wizard = (
            cls.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create(
                {
                    "advance_payment_method": "delivered",
                    "date_start_invoice_timesheet": start,
                    "date_end_invoice_timesheet": end,
                }
            )
        )
        before = order.invoice_ids
        wizard.create_invoices()
        return order.invoice_ids - before
