# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SaleOrderHoursCommon


@tagged("post_install", "-at_install")
class TestSaleOrderHours(SaleOrderHoursCommon):
    """Cases billed through sales order items: prepaid and post-paid hours."""

    # --- choosing the sales order item ----------------------------------------

    def test_new_case_gets_the_customers_prepaid_line(self):
        line = self._order(self.prepaid_hours, qty=2.0)
        ticket = self._ticket()
        self.assertEqual(ticket.sale_line_id, line, "the contact's company bought the hours")
        self.assertEqual(ticket.sale_line_remaining_hours, 2.0)
        self.assertEqual(ticket.sale_line_sold_hours, 2.0)
        self.assertTrue(ticket.sale_line_prepaid)
        self.assertEqual(ticket.remaining_hours_threshold, 10)
        # Open and billed through its order: the order is where it stands.
        self.assertEqual(ticket.billing_state, "on_sale_order")
        self.assertEqual(
            ticket.billing_state_label, f"On sales order {line.order_id.name}"
        )

    def test_most_recent_line_with_time_left_is_chosen(self):
        recent = self._order(self.prepaid_hours, qty=5.0, date_order=datetime(2026, 3, 1, 9, 0))
        # Created later (higher id) but ordered earlier: not the most recent.
        older = self._order(self.prepaid_hours, qty=5.0, date_order=datetime(2026, 1, 1, 9, 0))
        used_up = self._order(self.prepaid_hours, qty=1.0, date_order=datetime(2026, 4, 1, 9, 0))
        self._log(self._ticket(sale_line_id=used_up.id), 1.0)
        self.assertEqual(used_up.remaining_hours, 0.0)
        # Neither a draft order, nor post-paid hours, nor another customer's hours.
        self._order(self.prepaid_hours, qty=9.0, confirm=False)
        self._order(self.postpaid_hours, qty=9.0, date_order=datetime(2026, 5, 1, 9, 0))
        self._order(self.prepaid_hours, qty=9.0, partner=self.other_customer)

        ticket = self._ticket()
        self.assertEqual(ticket.sale_line_id, recent)
        # The user may pick the other line with time left.
        ticket.sale_line_id = older
        self.assertEqual(ticket.sale_line_id, older)

    def test_no_line_with_time_left_leaves_the_case_unlinked(self):
        used_up = self._order(self.prepaid_hours, qty=0.5)
        self._log(self._ticket(sale_line_id=used_up.id), 0.75)
        self.assertAlmostEqual(used_up.remaining_hours, -0.25)
        self.assertFalse(self._ticket().sale_line_id)

    def test_autofill_needs_the_team_setting_and_respects_a_given_line(self):
        line = self._order(self.prepaid_hours)
        self.assertEqual(self._ticket().sale_line_id, line)
        # Explicitly no line: billed as a case.
        self.assertFalse(self._ticket(sale_line_id=False).sale_line_id)
        self.team.case_billing_sale_order = False
        self.assertFalse(self._ticket().sale_line_id)

    def test_form_onchange_fills_and_follows_the_customer(self):
        line = self._order(self.prepaid_hours)
        other_line = self._order(self.prepaid_hours, partner=self.other_customer)
        # Official helpdesk_mgmt 19.0's form has readonly="stage_id.closed",
        # which the test Form cannot evaluate: the fields of the onchange in a
        # form of their own.
        view = self.env["ir.ui.view"].create(
            {
                "name": "helpdesk.ticket.form.sale.line.test",
                "model": "helpdesk.ticket",
                "type": "form",
                "arch": """
                    <form>
                        <field name="name" />
                        <field name="description" />
                        <field name="company_id" />
                        <field name="team_id" />
                        <field name="partner_id" />
                        <field name="invoice_id" invisible="1" />
                        <field name="sale_line_id" />
                    </form>
                """,
            }
        )
        with Form(self.env["helpdesk.ticket"], view=view) as form:
            form.name = "Mail bounces"
            form.description = "<p>Mail bounces</p>"
            form.team_id = self.team
            self.assertFalse(form.sale_line_id)
            form.partner_id = self.contact
            self.assertEqual(form.sale_line_id, line)
            form.partner_id = self.other_customer
            self.assertEqual(form.sale_line_id, other_line)
            form.partner_id = self.env["res.partner"].create({"name": "Walk-in"})
            self.assertFalse(form.sale_line_id)
            form.partner_id = self.contact
        ticket = form.record
        self.assertEqual(ticket.sale_line_id, line)

    def test_the_line_must_fit_the_case(self):
        ticket = self._ticket()
        draft = self._order(self.prepaid_hours, confirm=False)
        other = self._order(self.prepaid_hours, partner=self.other_customer)
        units = self._order(self.units_service)
        for line, message in (
            (other, "is for Brightline Dental, not for the customer of case"),
            (draft, "is not confirmed"),
            (units, "is not a service sold in units of time"),
        ):
            with (
                self.subTest(line=line.display_name),
                self.assertRaisesRegex(ValidationError, message),
                self.env.cr.savepoint(),
            ):
                ticket.sale_line_id = line
            self.assertFalse(ticket.sale_line_id)
        # Changing the customer away from the order's is refused too.
        good = self._order(self.prepaid_hours)
        ticket.sale_line_id = good
        with (
            self.assertRaisesRegex(ValidationError, "is for Acme Corporation"),
            self.env.cr.savepoint(),
        ):
            ticket.partner_id = self.other_customer
        self.assertEqual(ticket.partner_id, self.contact)
        self.assertEqual(ticket.sale_line_id, good)

    # --- delivered quantity ---------------------------------------------------

    def test_delivered_quantity_follows_the_cases_time(self):
        line = self._order(self.prepaid_hours, qty=2.0)
        ticket = self._ticket()
        first = self._log(ticket, 1.5)
        self.assertEqual(first.so_line, line)
        self.assertEqual(line.qty_delivered_method, "timesheet")
        self.assertEqual(line.qty_delivered, 1.5)
        self.assertEqual(ticket.sale_line_remaining_hours, 0.5)
        self._log(ticket, 0.75)
        self.assertEqual(line.qty_delivered, 2.25)
        self.assertAlmostEqual(ticket.sale_line_remaining_hours, -0.25)
        first.unit_amount = 1.0
        self.assertEqual(line.qty_delivered, 1.75)
        first.unlink()
        self.assertEqual(line.qty_delivered, 0.75)

    def test_changing_the_line_moves_the_time(self):
        first = self._order(self.prepaid_hours, qty=2.0)
        second = self._order(self.prepaid_hours, qty=10.0)
        ticket = self._ticket(sale_line_id=first.id)
        lines = self._log(ticket, 1.0) | self._log(ticket, 0.5)
        self.assertEqual(first.qty_delivered, 1.5)
        ticket.sale_line_id = second
        self.assertEqual(lines.so_line, second)
        self.assertEqual(first.qty_delivered, 0.0)
        self.assertEqual(second.qty_delivered, 1.5)
        self.assertEqual(ticket.sale_line_remaining_hours, 8.5)
        # Unlinked: the time is no longer delivered on an order.
        ticket.sale_line_id = False
        self.assertFalse(lines.so_line)
        self.assertEqual(second.qty_delivered, 0.0)

    # --- one billing mode per case --------------------------------------------

    def test_case_on_an_order_is_not_billed_as_a_case(self):
        line = self._order(self.prepaid_hours, qty=5.0)
        ticket = self._create_case(minutes=(30,))
        self.assertEqual(ticket.sale_line_id, line)
        order_name = line.order_id.name
        self.assertEqual(ticket.billing_blockers, f"Billed through sales order {order_name}.")
        self.assertFalse(ticket.is_billable_now)
        Ticket = self.env["helpdesk.ticket"]
        self.assertNotIn(ticket, Ticket.search([("is_billable_now", "=", True)]))
        self.assertIn(ticket, Ticket.search([("is_billable_now", "=", False)]))
        invoice = self._create_invoice()
        with self.assertRaises(UserError) as caught:
            invoice.action_add_helpdesk_cases([ticket.id])
        self.assertIn(f"Billed through sales order {order_name}.", str(caught.exception))
        self.assertFalse(invoice.invoice_line_ids)
        self.assertFalse(ticket.invoice_id)

        # Off the order, the case is billed as a case again.
        ticket.sale_line_id = False
        self.assertTrue(ticket.is_billable_now)
        self.assertIn(ticket, Ticket.search([("is_billable_now", "=", True)]))
        invoice.action_add_helpdesk_cases([ticket.id])
        self.assertEqual(ticket.invoice_id, invoice)
        # Billed as a case: it cannot go on an order any more.
        with self.assertRaisesRegex(UserError, "its sales order item cannot be changed"):
            ticket.sale_line_id = line
        self.assertFalse(ticket.sale_line_id)
        self.assertFalse(ticket.timesheet_ids.so_line)

    # --- post-paid hours --------------------------------------------------------

    def test_postpaid_period_invoicing_bills_the_period_and_keeps_the_case_open(self):
        line = self._order(self.postpaid_hours, qty=0.0)
        ticket = self._ticket()
        self.assertFalse(ticket.sale_line_id, "post-paid hours are not filled in")
        ticket.sale_line_id = line
        self.assertFalse(ticket.sale_line_prepaid)
        january = self._log(ticket, 1.0, date(2026, 1, 10)) | self._log(
            ticket, 0.5, date(2026, 1, 20)
        )
        later_case = self._ticket(sale_line_id=line.id, name="Printer offline")
        february = self._log(later_case, 2.0, date(2026, 2, 5))
        self.assertEqual(line.qty_delivered, 3.5)
        self.assertEqual(line.order_id.invoice_status, "to invoice")
        # Not invoiced yet: the unbilled revenue is the time at the order's price.
        self.assertEqual(ticket.billing_amount_unbilled, 150.0)

        invoice = self._invoice_period(line.order_id, date(2026, 1, 1), date(2026, 1, 31))
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.invoice_line_ids.quantity, 1.5, "January's time only")
        self.assertEqual(january.timesheet_invoice_id, invoice)
        self.assertFalse(february.timesheet_invoice_id)

        # The case stays open and is not invoiced as a whole; its status says
        # that part of its time is invoiced.
        self.assertFalse(ticket.invoice_id)
        self.assertEqual(ticket.billing_status_id, self.status_billable)
        self.assertEqual(ticket.sale_line_invoiced_hours, 1.5)
        self.assertEqual(ticket.sale_line_uninvoiced_hours, 0.0)
        self.assertIn(
            "Partly invoiced through the order: 01:30 h invoiced, 00:00 h not invoiced yet.",
            ticket.billing_blockers,
        )
        self.assertEqual(ticket.billing_amount_unbilled, 0.0)
        # Only the invoiced time lines are locked.
        with self.assertRaises(UserError):
            january[0].unit_amount = 3.0
        with self.assertRaisesRegex(UserError, "invoiced on"):
            january[0].unlink()
        self.assertEqual(january[0].unit_amount, 1.0)
        # The case takes new time: the next period bills only that.
        march = self._log(ticket, 0.75, date(2026, 3, 3))
        self.assertEqual(ticket.sale_line_uninvoiced_hours, 0.75)
        self.assertEqual(ticket.billing_amount_unbilled, 75.0)
        ticket.stage_id = self.stage_done
        ticket.stage_id = self.stage_in_progress
        second = self._invoice_period(line.order_id, date(2026, 2, 1), date(2026, 3, 31))
        self.assertEqual(march.timesheet_invoice_id, second)
        self.assertEqual(february.timesheet_invoice_id, second)
        self.assertEqual(second.invoice_line_ids.quantity, 2.75, "February and March only")
        self.assertEqual(ticket.sale_line_invoiced_hours, 2.25)

        # A cancelled invoice gives its time back to be invoiced again.
        invoice.button_cancel()
        self.assertEqual(ticket.sale_line_invoiced_hours, 0.75)
        self.assertEqual(ticket.sale_line_uninvoiced_hours, 1.5)
        january[0].unit_amount = 1.25

    # --- unbilled revenue at the price the case will be billed at -----------------

    def test_unbilled_revenue_at_the_order_price_in_the_company_currency(self):
        currency = self.setup_other_currency("EUR", rates=[("2000-01-01", 2.0)])
        pricelist = self.env["product.pricelist"].create(
            {"name": "Euro prices", "currency_id": currency.id, "company_id": self.company.id}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "pricelist_id": pricelist.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.postpaid_hours.id, "product_uom_qty": 0.0, "price_unit": 120.0}
                    )
                ],
            }
        )
        order.action_confirm()
        ticket = self._ticket(sale_line_id=order.order_line.id)
        self._log(ticket, 1.5)
        # 1.5 h × 120.00 EUR = 180.00 EUR = 90.00 in the company's currency.
        self.assertEqual(ticket.billing_amount_unbilled, 90.0)

    def test_prepaid_hours_are_not_unbilled_revenue(self):
        line = self._order(self.prepaid_hours, qty=5.0)
        ticket = self._create_case(minutes=(90,))
        self.assertEqual(ticket.sale_line_id, line)
        self.assertEqual(ticket.billing_amount_unbilled, 0.0)
        self.assertEqual(ticket.billing_block_reason, "on_sale_order")
