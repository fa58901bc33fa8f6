# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.helpdesk_case_billing.models.helpdesk_ticket import linking_cases
from odoo.addons.helpdesk_case_billing.tests.common import CaseBillingCommon


@tagged("post_install", "-at_install")
class TestCaseQuotations(CaseBillingCommon):
    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.quick_ref("sales_team.group_sale_manager")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.SaleOrder = cls.env["sale.order"]
        # Pricelists on, as the Sales settings switch them on.
        cls.env.ref("base.group_user").sudo().implied_ids += cls.env.ref(
            "product.group_product_pricelist"
        )
        cls.product_quote = cls.env["product.product"].create(
            {
                "name": "Support hour (quoted)",
                "type": "service",
                "uom_id": cls.env.ref("uom.product_uom_hour").id,
                "list_price": 100.0,
                "sale_ok": True,
            }
        )
        # The customer's pricelist sells the quotation product at 90.
        cls.pricelist = cls.env["product.pricelist"].create(
            {
                "name": "Acme contract prices",
                "currency_id": cls.company.currency_id.id,
                "company_id": cls.company.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": cls.product_quote.id,
                            "compute_price": "fixed",
                            "fixed_price": 90.0,
                        }
                    )
                ],
            }
        )
        cls.customer.with_company(cls.company).property_product_pricelist = cls.pricelist

    def _quote(self, tickets):
        before = self.SaleOrder.search([])
        action = tickets.action_create_quotations()
        return self.SaleOrder.search([]) - before, action

    def _order_count(self):
        return self.SaleOrder.search_count([])

    # --- the Create quotation button -----------------------------------------

    def test_create_quotation_is_offered_until_the_case_is_billed_elsewhere(self):
        open_case = self._create_case(name="Still open", closed=False)
        ready = self._create_case(name="Ready")
        quoted = self._create_case(name="Quoted")
        self._quote(quoted)
        invoiced = self._create_case(name="Invoiced")
        invoiced.action_create_invoices()
        off_team = self.team.copy({"name": "Not billing", "case_billing_enabled": False})
        not_billed = self._create_case(name="Team not billing", team=off_team)
        offered = {
            open_case: True,  # the button says why it cannot be quoted yet
            ready: True,
            quoted: False,
            invoiced: False,
            not_billed: False,
        }
        for ticket, expected in offered.items():
            self.assertEqual(ticket.case_quotation_offered, expected, ticket.name)
        arch = self.env["helpdesk.ticket"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('invisible="not case_quotation_offered"', arch)

    # --- timesheets and team settings ---------------------------------------

    def test_timesheet_billable_default_from_team(self):
        self.assertTrue(self.team.case_billing_timesheet_billable_default)
        ticket = self._create_case(minutes=(20,))
        self.assertTrue(ticket.timesheet_ids.case_billable)
        self.team.case_billing_timesheet_billable_default = False
        later = self._log_time(ticket, 10)
        self.assertFalse(later.case_billable)
        # The team's default does not rewrite time already logged.
        self.assertTrue((ticket.timesheet_ids - later).case_billable)
        chosen = self.env["account.analytic.line"].create(
            {
                "name": "Chosen billable",
                "ticket_id": ticket.id,
                "employee_id": self.employee.id,
                "unit_amount": 0.25,
                "case_billable": True,
            }
        )
        self.assertTrue(chosen.case_billable)

    def test_quotation_product_defaults_to_billing_product(self):
        self.assertFalse(self.team.case_billing_quotation_product_id)
        self.assertEqual(self.team._get_case_billing_quotation_product(), self.product_hour)
        self.team.case_billing_quotation_product_id = self.product_quote
        self.assertEqual(self.team._get_case_billing_quotation_product(), self.product_quote)

    def test_quotation_product_must_be_a_time_service(self):
        goods = self.env["product.product"].create({"name": "Toner", "type": "consu"})
        with self.assertRaisesRegex(ValidationError, "must be a service"):
            self.team.case_billing_quotation_product_id = goods
        per_unit = self.env["product.product"].create(
            {"name": "Visit", "type": "service", "uom_id": self.env.ref("uom.product_uom_unit").id}
        )
        with self.assertRaisesRegex(ValidationError, "unit of time"):
            self.team.case_billing_quotation_product_id = per_unit

    # --- creating quotations -------------------------------------------------

    def test_one_line_per_case_with_its_billable_time(self):
        self.team.case_billing_quotation_product_id = self.product_quote
        ticket = self._create_case(name="Server down", minutes=(30, 45, 15))
        first, second, third = ticket.timesheet_ids.sorted("id")
        first.date = date(2026, 11, 2)
        second.write({"date": date(2026, 11, 3), "case_billable": False})
        third.date = date(2026, 11, 1)
        orders, _action = self._quote(ticket)
        self.assertEqual(len(orders), 1)
        order = orders
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.partner_id, self.contact)
        self.assertEqual(order.origin, ticket.number)
        self.assertEqual(order.company_id, self.company)
        line = order.order_line
        self.assertEqual(len(line), 1)
        self.assertEqual(line.helpdesk_ticket_id, ticket)
        self.assertEqual(line.product_id, self.product_quote)
        # The billable 45 minutes, in whole billing units as on invoices.
        self.assertEqual(line.product_uom_id, self.team.case_billing_uom_id)
        self.assertEqual(line.product_uom_qty, 3.0)
        # Oldest time first; the time marked not billable is left out.
        self.assertEqual(
            line.name,
            f"{ticket.number} - Server down - 3 × 15 min\n"
            "2026-11-01, Helpdesk agent: Diagnosis and fix (00:15)\n"
            "2026-11-02, Helpdesk agent: Diagnosis and fix (00:30)",
        )
        self.assertEqual(ticket.quotation_id, order)
        self.assertEqual(order.helpdesk_quoted_ticket_ids, ticket)
        self.assertEqual(order.helpdesk_quoted_ticket_count, 1)

    def test_customer_pricelist_prices_the_lines(self):
        self.team.case_billing_quotation_product_id = self.product_quote
        ticket = self._create_case(minutes=(60,))
        orders, _action = self._quote(ticket)
        self.assertEqual(orders.pricelist_id, self.pricelist)
        # 90.00 an hour by the pricelist, 4 units of 15 minutes.
        self.assertAlmostEqual(orders.order_line.price_unit, 22.5)
        self.assertAlmostEqual(orders.amount_untaxed, 90.0)
        # Without a pricelist rule, the sales price of the product.
        other = self._create_case(minutes=(60,), partner=self.other_customer)
        other_orders, _action = self._quote(other)
        self.assertNotEqual(other_orders.pricelist_id, self.pricelist)
        self.assertAlmostEqual(other_orders.order_line.price_unit, 25.0)
        self.assertAlmostEqual(other_orders.amount_untaxed, 100.0)

    def test_billing_product_when_no_quotation_product(self):
        ticket = self._create_case(minutes=(30,))
        orders, _action = self._quote(ticket)
        self.assertEqual(orders.order_line.product_id, self.product_hour)
        self.assertAlmostEqual(orders.order_line.price_unit, 20.0)
        self.assertAlmostEqual(orders.amount_untaxed, 40.0)

    def test_time_is_rounded_up_to_billing_units_as_on_invoices(self):
        # 20 + 30 min of billable time, 15-minute units: 4 units, 1:00 quoted.
        ticket = self._create_case(name="Scanner offline", minutes=(20, 30, 10))
        ticket.timesheet_ids.filtered(lambda line: line.unit_amount == 10 / 60).case_billable = False
        orders, _action = self._quote(ticket)
        self.assertEqual(orders.order_line.product_uom_qty, 4.0)
        self.assertAlmostEqual(orders.amount_untaxed, 80.0)

    def test_billing_unit_in_a_product_sold_by_the_day(self):
        # A product sold by the day (8 hours): 50 min at 60-minute units is 1 hour.
        day = self.env.ref("uom.product_uom_day")
        product = self.env["product.product"].create(
            {"name": "Support day", "type": "service", "uom_id": day.id, "list_price": 650.0}
        )
        self.team.write(
            {"case_billing_unit_minutes": 60, "case_billing_quotation_product_id": product.id}
        )
        ticket = self._create_case(minutes=(50,), partner=self.other_customer)
        orders, _action = self._quote(ticket)
        self.assertEqual(orders.order_line.product_uom_id, self.env.ref("uom.product_uom_hour"))
        self.assertEqual(orders.order_line.product_uom_qty, 1.0)
        self.assertAlmostEqual(orders.amount_untaxed, 81.25, msg="650.00 a day of 8 hours")

    def test_quoted_amount_equals_the_invoiced_amount(self):
        # 70 min: 5 units of 15 min, as the invoice bills them.
        ticket = self._create_case(minutes=(20, 20, 20, 10))
        twin = self._create_case(minutes=(20, 20, 20, 10))
        orders, _action = self._quote(ticket)
        invoice = self._create_invoice()
        invoice.action_add_helpdesk_cases(twin.ids)
        self.assertEqual(orders.order_line.product_uom_qty, 5.0)
        self.assertEqual(ticket.billing_quantity, 5.0)
        self.assertEqual(orders.amount_untaxed, invoice.amount_untaxed)
        self.assertEqual(orders.amount_untaxed, 100.0)

    def test_fixed_rate_team_quotes_one_line(self):
        self.team.case_billing_mode = "fixed"
        ticket = self._create_case(name="Password reset", minutes=(50, 10))
        orders, _action = self._quote(ticket)
        line = orders.order_line
        self.assertEqual(len(line), 1)
        self.assertEqual(line.product_uom_qty, 1.0)
        self.assertEqual(line.product_uom_id, self.product_hour.uom_id)
        self.assertTrue(line.name.startswith(f"{ticket.number} - Password reset - flat rate\n"))
        self.assertEqual(line.helpdesk_ticket_id, ticket)

    def test_single_quotation_notifies_and_offers_to_open_it(self):
        ticket = self._create_case()
        orders, action = self._quote(ticket)
        self.assertEqual(action["type"], "ir.actions.client")
        self.assertEqual(action["tag"], "helpdesk_case_billing.quotation_created")
        params = action["params"]
        self.assertIn(orders.name, params["title"])
        self.assertIn("default settings", params["message"])
        self.assertIn(ticket.number, params["message"])
        self.assertEqual(params["button"], "Open quotation")
        self.assertEqual(params["order_ids"], orders.ids)
        self.assertEqual(params["action"]["res_model"], "sale.order")
        self.assertEqual(params["action"]["res_id"], orders.id)
        self.assertEqual(params["action"]["views"], [(False, "form")])
        self.assertEqual(params["next"], {"type": "ir.actions.act_window_close"})
        # Both sides keep a trace.
        self.assertIn(orders.name, ticket.message_ids[0].body)
        self.assertIn(ticket.number, orders.message_ids[0].body)

    def test_several_cases_one_quotation_each(self):
        first = self._create_case(name="A", minutes=(20,))
        second = self._create_case(name="B", minutes=(40,))
        third = self._create_case(name="C", minutes=(15,), partner=self.other_customer)
        orders, action = self._quote(first | second | third)
        self.assertEqual(len(orders), 3)
        self.assertEqual(
            [t.quotation_id.origin for t in first | second | third],
            [first.number, second.number, third.number],
        )
        self.assertEqual(len((first | second | third).quotation_id), 3)
        params = action["params"]
        self.assertEqual(params["button"], "Open quotations")
        self.assertEqual(params["title"], "3 quotations created")
        for order in orders:
            self.assertIn(order.name, params["message"])
        self.assertEqual(params["action"]["domain"][0][:2], ("id", "in"))
        self.assertEqual(set(params["action"]["domain"][0][2]), set(orders.ids))
        self.assertFalse(params["action"].get("res_id"))

    def test_server_action_of_the_ticket_list(self):
        tickets = self._create_case(name="A") | self._create_case(name="B")
        server_action = self.env.ref("helpdesk_case_billing_sale.helpdesk_ticket_action_create_quotations")
        result = server_action.with_context(
            active_model="helpdesk.ticket", active_ids=tickets.ids, active_id=tickets[0].id
        ).run()
        self.assertEqual(result["tag"], "helpdesk_case_billing.quotation_created")
        self.assertEqual(len(tickets.quotation_id), 2)

    # --- no double billing ---------------------------------------------------

    def test_quoted_case_is_not_billable_again(self):
        ticket = self._create_case()
        self.assertTrue(ticket.is_billable_now)
        orders, _action = self._quote(ticket)
        self.assertFalse(ticket.is_billable_now)
        self.assertEqual(ticket.billing_blockers, f"Quoted on {orders.name}.")
        Ticket = self.env["helpdesk.ticket"]
        self.assertNotIn(ticket, Ticket.search([("is_billable_now", "=", True)]))
        self.assertIn(ticket, Ticket.search([("is_billable_now", "=", False)]))
        invoice = self._create_invoice()
        with self.assertRaisesRegex(UserError, f"Quoted on {orders.name}"):
            invoice.action_add_helpdesk_cases([ticket.id])
        self.assertFalse(invoice.invoice_line_ids)
        with self.assertRaisesRegex(UserError, "No invoice was created"):
            ticket.action_create_invoices()
        # Not twice on quotations either.
        count = self._order_count()
        with self.assertRaisesRegex(UserError, "No quotation was created"):
            ticket.action_create_quotations()
        self.assertEqual(self._order_count(), count)
        with self.assertRaisesRegex(ValidationError, "cannot be quoted twice"), linking_cases():
            self.SaleOrder.create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product_hour.id, "helpdesk_ticket_id": ticket.id}
                        )
                    ],
                }
            )

    def test_cancelling_the_quotation_frees_the_case(self):
        ticket = self._create_case()
        orders, _action = self._quote(ticket)
        orders.action_cancel()
        self.assertFalse(ticket.quotation_id)
        self.assertTrue(ticket.is_billable_now)
        self.assertFalse(ticket.billing_blockers)
        self.assertIn(ticket, self.env["helpdesk.ticket"].search([("is_billable_now", "=", True)]))
        invoice = self._create_invoice()
        invoice.action_add_helpdesk_cases([ticket.id])
        self.assertEqual(ticket.invoice_id, invoice)
        # Back to a quotation now that the case is invoiced: refused.
        with self.assertRaises(ValidationError) as caught:
            orders.action_draft()
        self.assertIn(f"is invoiced on {invoice.display_name}", str(caught.exception))
        self.assertEqual(orders.state, "cancel")
        self.assertFalse(ticket.quotation_id)

    def test_cancelled_quotation_reset_to_draft_quotes_again(self):
        ticket = self._create_case()
        orders, _action = self._quote(ticket)
        orders.action_cancel()
        orders.action_draft()
        self.assertEqual(ticket.quotation_id, orders)
        self.assertFalse(ticket.is_billable_now)
        # Quoted again meanwhile: the old one stays cancelled.
        orders.action_cancel()
        new_orders, _action = self._quote(ticket)
        with self.assertRaises(ValidationError) as caught:
            orders.action_draft()
        self.assertIn("cannot be quoted twice", str(caught.exception))
        self.assertEqual(orders.state, "cancel")
        self.assertEqual(ticket.quotation_id, new_orders)

    def test_deleting_the_quotation_frees_the_case(self):
        ticket = self._create_case()
        orders, _action = self._quote(ticket)
        orders.unlink()
        self.assertFalse(ticket.quotation_id)
        self.assertTrue(ticket.is_billable_now)

    def test_confirmed_quotation_keeps_the_case(self):
        ticket = self._create_case()
        orders, _action = self._quote(ticket)
        orders.action_confirm()
        self.assertEqual(orders.state, "sale")
        self.assertEqual(ticket.quotation_id, orders)
        self.assertFalse(ticket.is_billable_now)

    def test_invoicing_the_confirmed_quotation_invoices_the_case(self):
        ticket = self._create_case()
        orders, _action = self._quote(ticket)
        orders.action_confirm()
        self.assertEqual(ticket.billing_block_reason, "quoted")
        unbilled = ticket.billing_amount_unbilled
        self.assertGreater(unbilled, 0)

        invoice = orders._create_invoices()
        self.assertEqual(ticket.invoice_id, invoice)
        self.assertEqual(ticket.billing_status_id, self.status_invoiced)
        self.assertEqual(ticket.billing_block_reason, "invoiced")
        self.assertEqual(ticket.billing_amount_unbilled, 0.0)
        self.assertIn(f"Already invoiced on {invoice.display_name}.", ticket.billing_blockers)
        self.assertEqual(invoice.helpdesk_ticket_ids, ticket)
        # Locked like a case billed directly.
        with self.assertRaisesRegex(UserError, "cannot be moved back to the open stage"):
            ticket.stage_id = self.stage_in_progress
        with self.assertRaises(UserError):
            self._log_time(ticket, 30)
        with self.assertRaisesRegex(UserError, "Already invoiced on"):
            self._create_invoice().action_add_helpdesk_cases(ticket.ids)

        # A credit note does not bill it; cancelling the invoice unbills it.
        invoice.action_post()
        invoice._reverse_moves()
        self.assertEqual(ticket.invoice_id, invoice)
        invoice.button_draft()
        invoice.button_cancel()
        self.assertFalse(ticket.invoice_id)
        self.assertEqual(ticket.billing_status_id, self.status_billable)
        self.assertEqual(ticket.billing_block_reason, "quoted")
        self.assertEqual(ticket.billing_amount_unbilled, unbilled)

    def test_cancelled_invoiced_order_can_be_reset_to_quotation(self):
        # The case's invoice is the order's own: no conflict with the order.
        ticket = self._create_case()
        orders, _action = self._quote(ticket)
        orders.action_confirm()
        invoice = orders._create_invoices()
        invoice.action_post()
        orders.action_cancel()
        orders.action_draft()
        self.assertEqual(orders.state, "draft")
        self.assertEqual(ticket.quotation_id, orders)
        self.assertEqual(ticket.invoice_id, invoice)

    # --- refusals ------------------------------------------------------------

    def test_refusals_create_nothing(self):
        no_customer = self._create_case(name="Anonymous", partner=False)
        count = self._order_count()
        with self.assertRaisesRegex(UserError, "The case has no customer"):
            no_customer.action_create_quotations()

        not_billable_time = self._create_case(name="Goodwill")
        not_billable_time.timesheet_ids.case_billable = False
        with self.assertRaisesRegex(UserError, "None of the time logged on the case is billable"):
            not_billable_time.action_create_quotations()

        no_time = self._create_case(name="Nothing logged", minutes=())
        with self.assertRaises(UserError) as caught:
            no_time.action_create_quotations()
        self.assertIn("No time is spent on the case.", str(caught.exception))
        self.assertNotIn("billable", str(caught.exception))

        invoiced = self._create_case(name="Invoiced")
        invoice = self._create_invoice()
        invoice.action_add_helpdesk_cases([invoiced.id])
        with self.assertRaisesRegex(UserError, "Already invoiced on"):
            invoiced.action_create_quotations()

        warranty = self._create_case(name="Warranty")
        warranty.billing_status_id = self.status_not_billable
        with self.assertRaisesRegex(UserError, "is not a billable one"):
            warranty.action_create_quotations()

        # One refused case refuses the whole selection, with every reason.
        good = self._create_case(name="Good")
        with self.assertRaises(UserError) as caught:
            (good | no_customer | not_billable_time).action_create_quotations()
        message = str(caught.exception)
        self.assertIn("No quotation was created", message)
        self.assertIn(f"{no_customer.number} - Anonymous", message)
        self.assertIn(f"{not_billable_time.number} - Goodwill", message)
        self.assertNotIn(good.number, message)
        self.assertEqual(self._order_count(), count)
        self.assertFalse(good.quotation_id)

        with self.assertRaisesRegex(UserError, "Select the cases"):
            self.env["helpdesk.ticket"].action_create_quotations()

    def test_billing_off_refused(self):
        ticket = self._create_case()
        self.team.case_billing_enabled = False
        with self.assertRaisesRegex(UserError, "Billing is not enabled for team Support"):
            ticket.action_create_quotations()

    def test_rights(self):
        ticket = self._create_case()
        count = self._order_count()
        # Helpdesk and sales rights, but not the billing right.
        seller = self._new_user(
            "seller",
            "helpdesk_mgmt.group_helpdesk_manager,sales_team.group_sale_salesman_all_leads",
        )
        with self.assertRaisesRegex(AccessError, "bill cases"):
            ticket.with_user(seller).action_create_quotations()
        # The billing right, but no sales rights.
        biller = self._new_user(
            "biller", "helpdesk_mgmt.group_helpdesk_user,helpdesk_case_billing.group_case_billing"
        )
        with self.assertRaises(AccessError):
            ticket.with_user(biller).action_create_quotations()
        self.assertEqual(self._order_count(), count)
        self.assertFalse(ticket.quotation_id)
        # Both: the quotation is made, also from time the user cannot read.
        quoter = self._new_user(
            "quoter",
            "helpdesk_mgmt.group_helpdesk_user,helpdesk_case_billing.group_case_billing,"
            "sales_team.group_sale_salesman_all_leads",
        )
        ticket.with_user(quoter).action_create_quotations()
        # The 20 minutes, rounded up to 2 units of 15 minutes, listed.
        line = ticket.quotation_id.order_line
        self.assertEqual(line.product_uom_qty, 2.0)
        self.assertIn("Diagnosis and fix (00:20)", line.name)
        self.assertEqual(ticket.quotation_id.user_id, quoter)

    def test_helpdesk_agent_without_sales_rights_reads_a_quoted_case(self):
        ticket = self._create_case()
        orders, _action = self._quote(ticket)
        agent = self._new_user("hcb_quote_agent", "helpdesk_mgmt.group_helpdesk_manager")
        as_agent = ticket.with_user(agent)
        # What the case form loads.
        as_agent.get_views([(False, "form")])
        [values] = as_agent.web_read(
            {
                "quotation_id": {"fields": {"display_name": {}}},
                "billing_blockers": {},
                "billing_block_reason": {},
            }
        )
        self.assertEqual(values["quotation_id"], {"id": orders.id, "display_name": orders.name})
        self.assertEqual(values["billing_blockers"], f"Quoted on {orders.name}.")
        self.assertEqual(values["billing_block_reason"], "quoted")

    def test_billing_state_says_quoted_with_the_order(self):
        ticket = self._create_case()
        ticket.action_create_quotations()
        self.assertEqual(ticket.billing_state, "quoted")
        self.assertEqual(ticket.billing_state_label, f"Quoted {ticket.quotation_id.name}")

    def test_quoted_reason_in_the_invoice_grid_and_the_unbilled_report(self):
        # The reason the quotations module adds to the billing rule reaches
        # the Load helpdesk cases grid and the Unbilled revenue report.
        ticket = self._create_case(name="Quoted case")
        ready = self._create_case(name="Ready case")
        orders, _action = self._quote(ticket)
        self.assertTrue(orders.name.startswith("S"))
        rows = {row["id"]: row for row in self._load_grid(self._create_invoice())}
        self.assertEqual(set(rows), {ticket.id, ready.id})
        self.assertFalse(rows[ticket.id]["is_billable_now"])
        self.assertEqual(rows[ticket.id]["billing_blockers"], f"Quoted on {orders.name}.")
        self.assertTrue(rows[ready.id]["is_billable_now"])
        self.assertFalse(rows[ready.id]["billing_blockers"])
        self.assertEqual(ticket.billing_block_reason, "quoted")
        self.assertEqual(self._unbilled_report_groups(ticket | ready), {"quoted": 1, "ready": 1})
