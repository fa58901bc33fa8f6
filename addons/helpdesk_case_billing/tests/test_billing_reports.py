# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import ast
import io
from datetime import date

from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfFileReader

from .common import CaseBillingCommon


class BilledCasesReportMixin:
    """Helpers of the Billed cases report tests."""

    def _invoice(self, tickets, partner=None, day=None, post=True):
        invoice = self._create_invoice(partner=partner)
        invoice.action_add_helpdesk_cases(tickets.ids)
        if day:
            invoice.invoice_date = day
        if post:
            invoice.action_post()
        return invoice

    def _rows(self, tickets):
        return self.env["helpdesk.case.billing.report"].search([("ticket_id", "in", tickets.ids)])


class UnbilledRevenueMixin:
    """Helpers of the Unbilled revenue report tests."""

    def _stored_reason(self, ticket):
        """The reason as stored in the database, as the report groups it."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT billing_block_reason FROM helpdesk_ticket WHERE id = %s", [ticket.id]
        )
        return self.env.cr.fetchone()[0]

    def _stored_amount(self, ticket):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT billing_amount_unbilled FROM helpdesk_ticket WHERE id = %s", [ticket.id]
        )
        return self.env.cr.fetchone()[0]

    def _report_domain(self):
        action = self.env.ref("helpdesk_case_billing.helpdesk_ticket_unbilled_action")
        return ast.literal_eval(action.domain)


@tagged("post_install", "-at_install")
class TestBilledCasesReport(BilledCasesReportMixin, CaseBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["helpdesk.case.billing.report"]
        cls.project_b = cls.env["project.project"].create(
            {"name": "Field service", "allow_timesheets": True, "company_id": cls.company.id}
        )
        cls.team_b = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Field",
                "company_id": cls.company.id,
                "default_project_id": cls.project_b.id,
                "case_billing_enabled": True,
                "case_billing_unit_minutes": 30,
                "case_billing_mode": "time",
            }
        )

    def test_rows_and_amounts(self):
        # 20 min at 15-minute units: 2 units, 0.5 h at 80 = 40.
        printer = self._create_case(name="Printer broken", minutes=(20,))
        # 50 min at 30-minute units: 2 units, 1 h at 80 = 80.
        wifi = self._create_case(name="Wi-Fi down", minutes=(50,), team=self.team_b)
        posted = self._invoice(printer | wifi, day=date(2026, 10, 15))
        draft_case = self._create_case(name="Mail bounce", minutes=(35,))
        draft = self._invoice(draft_case, post=False)
        cancelled_case = self._create_case(name="Cancelled", minutes=(10,))
        cancelled = self._invoice(cancelled_case, post=False)
        cancelled.button_cancel()
        unbilled = self._create_case(name="Not billed", minutes=(10,))

        rows = self._rows(printer | wifi | draft_case | cancelled_case | unbilled)
        by_case = {row.ticket_id: row for row in rows}
        self.assertEqual(set(by_case), {printer, wifi, draft_case})

        row = by_case[printer]
        self.assertEqual(row.ticket_number, printer.number)
        self.assertEqual(row.ticket_name, "Printer broken")
        self.assertEqual(row.partner_id, self.customer)
        self.assertEqual(row.team_id, self.team)
        self.assertEqual(row.company_id, self.company)
        self.assertEqual(row.move_id, posted)
        self.assertEqual(row.invoice_date, date(2026, 10, 15))
        self.assertEqual(row.state, "posted")
        self.assertEqual(row.move_type, "out_invoice")
        self.assertEqual(row.billed_through, "case")
        self.assertEqual(row.product_id, self.product_hour)
        self.assertEqual(row.product_uom_id.name, "15 min")
        self.assertAlmostEqual(row.quantity, 2.0)
        self.assertAlmostEqual(row.billed_hours, 0.5)
        self.assertAlmostEqual(row.billed_units, 2.0)
        self.assertAlmostEqual(row.amount_untaxed, 40.0)
        self.assertEqual(row.currency_id, self.company.currency_id)

        self.assertEqual(by_case[wifi].team_id, self.team_b)
        self.assertAlmostEqual(by_case[wifi].billed_units, 2.0)
        self.assertAlmostEqual(by_case[wifi].amount_untaxed, 80.0)

        self.assertEqual(by_case[draft_case].state, "draft")
        self.assertEqual(by_case[draft_case].move_id, draft)
        self.assertAlmostEqual(by_case[draft_case].billed_units, 3.0)
        self.assertAlmostEqual(by_case[draft_case].amount_untaxed, 60.0)

        # Cancelling the posted invoice takes its cases out of the report.
        posted.button_draft()
        posted.button_cancel()
        self.assertEqual(self._rows(printer | wifi), self.Report)

    def test_edited_quantity_and_refund_sign(self):
        ticket = self._create_case(minutes=(20,))
        invoice = self._create_invoice()
        invoice.action_add_helpdesk_cases(ticket.ids)
        # The quantity billed, not the time spent, is what the report shows.
        invoice.invoice_line_ids.filtered("helpdesk_ticket_id").quantity = 3
        invoice.action_post()
        row = self._rows(ticket)
        self.assertAlmostEqual(row.billed_units, 3.0)
        self.assertAlmostEqual(row.amount_untaxed, 60.0)

    def test_units_with_their_length(self):
        # 20 min at 15-minute units and 50 min at 30-minute units: 2 units
        # each, of different lengths; a flat rate bills no time.
        printer = self._create_case(name="Printer", minutes=(20,))
        wifi = self._create_case(name="Wi-Fi", minutes=(50,), team=self.team_b)
        flat_team = self.env["helpdesk.ticket.team"].create(
            {
                "name": "Flat",
                "company_id": self.company.id,
                "default_project_id": self.project_b.id,
                "case_billing_enabled": True,
                "case_billing_mode": "fixed",
            }
        )
        reset = self._create_case(name="Password reset", minutes=(10,), team=flat_team)
        invoice = self._invoice(printer | wifi | reset, day=date(2026, 11, 5))
        by_case = {row.ticket_id: row for row in self._rows(printer | wifi | reset)}
        self.assertEqual(
            [(by_case[t].billed_as, by_case[t].billed_hours) for t in (printer, wifi, reset)],
            [("2 × 15 min", 0.5), ("2 × 30 min", 1.0), ("1 flat rate", 0.0)],
        )
        # The Load helpdesk cases grid and the invoice say the same per case.
        self.assertEqual(
            [printer.billing_unit_label, wifi.billing_unit_label, reset.billing_unit_label],
            ["2 × 15 min", "2 × 30 min", "flat rate"],
        )
        self.assertEqual(
            [printer.billing_billed_hours, wifi.billing_billed_hours, reset.billing_billed_hours],
            [0.5, 1.0, 0.0],
        )
        # In all: billed time and amount add up; units of 15 and 30 min never do.
        mine = [("ticket_id", "in", (printer | wifi | reset).ids)]
        [(hours, amount)] = self.Report._read_group(
            mine, [], ["billed_hours:sum", "amount_untaxed:sum"]
        )
        self.assertAlmostEqual(hours, 1.5)
        self.assertAlmostEqual(amount, 40.0 + 80.0 + 80.0)
        self.assertIsNone(self.Report._fields["billed_units"].aggregator)
        groups = self.Report.formatted_read_group(
            mine, ["team_id"], ["billed_hours:sum", "amount_untaxed:sum", "__count"]
        )
        self.assertEqual(
            sorted((g["team_id"][1], g["billed_hours:sum"], g["amount_untaxed:sum"]) for g in groups),
            [("Field", 1.0, 80.0), ("Flat", 0.0, 80.0), ("Support", 0.5, 40.0)],
        )
        # The list totals billed time and amount, shows units with their length, no total of units.
        arch = self.Report.get_view(view_type="list")["arch"]
        self.assertIn('name="billed_hours" widget="float_time" sum="Total"', arch)
        self.assertIn('name="billed_as"', arch)
        self.assertNotIn('name="billed_units" sum', arch)
        # A credit note counts them back, with the same lengths.
        credit = invoice._reverse_moves()
        credit.action_post()
        credited = self.Report.search(mine + [("move_id", "=", credit.id)])
        self.assertEqual(
            sorted(credited.mapped("billed_as")), ["-1 flat rate", "-2 × 15 min", "-2 × 30 min"]
        )
        [(hours,)] = self.Report._read_group(mine, [], ["billed_hours:sum"])
        self.assertAlmostEqual(hours, 0.0)

    def test_filters_and_grouping(self):
        october = self._create_case(name="October", minutes=(30,))
        november = self._create_case(name="November", minutes=(60,))
        other = self._create_case(name="Other customer", minutes=(15,), partner=self.other_customer)
        field = self._create_case(name="Field", minutes=(60,), team=self.team_b)
        self._invoice(october, day=date(2026, 10, 3))
        self._invoice(november | field, day=date(2026, 11, 20))
        self._invoice(other, partner=self.other_customer, day=date(2026, 11, 21))
        tickets = october | november | other | field
        mine = [("ticket_id", "in", tickets.ids)]

        in_november = self.Report.search(
            mine + [("invoice_date", ">=", "2026-11-01"), ("invoice_date", "<=", "2026-11-30")]
        )
        self.assertEqual(in_november.ticket_id, november | other | field)
        self.assertEqual(self.Report.search(mine + [("team_id", "=", self.team_b.id)]).ticket_id, field)
        self.assertEqual(
            self.Report.search(mine + [("partner_id", "=", self.other_customer.id)]).ticket_id, other
        )

        groups = dict(
            self.Report._read_group(mine, ["team_id"], ["amount_untaxed:sum"])
        )
        self.assertAlmostEqual(groups[self.team], 40.0 + 80.0 + 20.0)
        self.assertAlmostEqual(groups[self.team_b], 80.0)
        # Time adds up across teams; units of 15 and 30 minutes do not.
        by_month = dict(
            self.Report._read_group(mine, ["invoice_date:month"], ["billed_hours:sum"])
        )
        self.assertAlmostEqual(by_month[date(2026, 10, 1)], 0.5)
        self.assertAlmostEqual(by_month[date(2026, 11, 1)], 1.0 + 1.0 + 0.25)
        self.assertIsNone(self.Report._fields["billed_units"].aggregator)
        # The views the menus open are valid for the model.
        for view_type in ("list", "pivot", "graph", "search"):
            self.Report.get_view(view_type=view_type)

    def test_export(self):
        ticket = self._create_case(name="Exported", minutes=(20,))
        invoice = self._invoice(ticket, day=date(2026, 11, 5))
        rows = self._rows(ticket)
        data = rows.export_data(
            [
                "ticket_number",
                "ticket_name",
                "partner_id",
                "team_id",
                "move_id",
                "invoice_date",
                "state",
                "billed_units",
                "amount_untaxed",
            ]
        )["datas"]
        self.assertEqual(
            data,
            [
                [
                    ticket.number,
                    "Exported",
                    "Acme Corporation",
                    "Support",
                    invoice.name,
                    date(2026, 11, 5),
                    "Posted",
                    2.0,
                    40.0,
                ]
            ],
        )

    def test_rights_and_companies(self):
        ticket = self._create_case(minutes=(20,))
        self._invoice(ticket, day=date(2026, 11, 5))
        # A helpdesk manager without accounting rights reads the report.
        manager = self._new_user("hd_manager", "helpdesk_mgmt.group_helpdesk_manager")
        rows = self.Report.with_user(manager).search([("ticket_id", "=", ticket.id)])
        self.assertEqual(len(rows), 1)
        self.assertTrue(rows.read(["move_id"])[0]["move_id"])
        # Another company's user does not see it.
        other_company = self.setup_other_company()["company"]
        outsider = self._new_user(
            "hd_outsider", "helpdesk_mgmt.group_helpdesk_manager", company=other_company
        )
        self.assertFalse(self.Report.with_user(outsider).search([("ticket_id", "=", ticket.id)]))

    def test_menus(self):
        def visible(user):
            return self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()

        ref = self.env.ref
        manager = self._new_user("hd_menu_manager", "helpdesk_mgmt.group_helpdesk_manager")
        self.assertLessEqual(
            {
                ref("helpdesk_case_billing.helpdesk_case_billing_report_menu").id,
                ref("helpdesk_case_billing.helpdesk_ticket_unbilled_menu").id,
            },
            visible(manager),
        )
        biller = self._new_user(
            "hd_menu_biller",
            "account.group_account_invoice,helpdesk_case_billing.group_case_billing",
        )
        self.assertLessEqual(
            {
                ref("helpdesk_case_billing.account_helpdesk_case_billing_report_menu").id,
                ref("helpdesk_case_billing.account_helpdesk_ticket_unbilled_menu").id,
            },
            visible(biller),
        )
        agent = self._new_user("hd_menu_agent", "helpdesk_mgmt.group_helpdesk_user")
        self.assertFalse(
            {
                ref("helpdesk_case_billing.helpdesk_case_billing_report_menu").id,
                ref("helpdesk_case_billing.helpdesk_ticket_unbilled_menu").id,
            }
            & visible(agent)
        )

    def test_row_opens_the_case(self):
        ticket = self._create_case(minutes=(20,))
        self._invoice(ticket)
        action = self._rows(ticket).action_open_case()
        self.assertEqual(action["res_model"], "helpdesk.ticket")
        self.assertEqual(action["res_id"], ticket.id)


@tagged("post_install", "-at_install")
class TestUnbilledRevenue(UnbilledRevenueMixin, CaseBillingCommon):
    def test_each_reason(self):
        open_case = self._create_case(name="Open", closed=False)
        no_solution = self._create_case(name="No solution", solution=False)
        no_customer = self._create_case(name="No customer", partner=False)
        warranty = self._create_case(name="Warranty")
        warranty.billing_status_id = self.status_not_billable
        ready = self._create_case(name="Ready")
        no_time = self._create_case(name="No time", minutes=())
        invoiced = self._create_case(name="Invoiced")
        self._create_invoice().action_add_helpdesk_cases(invoiced.ids)
        unbilled_team = self.env["helpdesk.ticket.team"].create(
            {
                "name": "Internal IT",
                "company_id": self.company.id,
                "default_project_id": self.project.id,
            }
        )
        off = self._create_case(name="Billing off", team=unbilled_team)

        expected = {
            open_case: "open",
            no_solution: "no_solution",
            no_customer: "no_customer",
            warranty: "not_billable",
            ready: "ready",
            no_time: "no_time",
            invoiced: "invoiced",
            off: "billing_off",
        }
        for ticket, reason in expected.items():
            self.assertEqual(self._stored_reason(ticket), reason, ticket.name)
            # Ready exactly when billable now, as the invoices see it.
            self.assertEqual(reason == "ready", ticket.is_billable_now, ticket.name)

        # The report: time spent and not invoiced, whatever the reason.
        tickets = self.env["helpdesk.ticket"].browse([t.id for t in expected])
        shown = tickets.filtered_domain(self._report_domain())
        self.assertEqual(shown, tickets - invoiced - no_time)
        groups = dict(
            self.env["helpdesk.ticket"]._read_group(
                self._report_domain() + [("id", "in", tickets.ids)],
                ["billing_block_reason"],
                ["__count"],
            )
        )
        self.assertEqual(
            groups,
            {
                "open": 1,
                "no_solution": 1,
                "no_customer": 1,
                "not_billable": 1,
                "ready": 1,
                "billing_off": 1,
            },
        )

    def test_reason_follows_the_case(self):
        ticket = self._create_case(name="Moving case", closed=False, solution=False)
        self.assertEqual(self._stored_reason(ticket), "open")
        ticket.stage_id = self.stage_done
        self.assertEqual(self._stored_reason(ticket), "no_solution")
        ticket.solution = "<p>Done.</p>"
        self.assertEqual(self._stored_reason(ticket), "ready")
        ticket.billing_status_id = self.status_not_billable
        self.assertEqual(self._stored_reason(ticket), "not_billable")
        ticket.billing_status_id = self.status_billable
        self.assertEqual(self._stored_reason(ticket), "ready")
        ticket.partner_id = False
        self.assertEqual(self._stored_reason(ticket), "no_customer")
        ticket.partner_id = self.contact
        # A change on the team, not on the case.
        self.team.case_billing_enabled = False
        self.assertEqual(self._stored_reason(ticket), "billing_off")
        self.team.case_billing_enabled = True
        self.assertEqual(self._stored_reason(ticket), "ready")
        # A change of the status's kind, not of the case's status.
        self.status_billable.kind = "not_billable"
        self.assertEqual(self._stored_reason(ticket), "not_billable")
        self.status_billable.kind = "billable"
        self.assertEqual(self._stored_reason(ticket), "ready")

        invoice = self._create_invoice()
        invoice.action_add_helpdesk_cases(ticket.ids)
        self.assertEqual(self._stored_reason(ticket), "invoiced")
        invoice.button_cancel()
        self.assertEqual(self._stored_reason(ticket), "ready")

        # Time deleted, then logged again.
        ticket.timesheet_ids.unlink()
        self.assertEqual(self._stored_reason(ticket), "no_time")
        self._log_time(ticket, 5)
        self.assertEqual(self._stored_reason(ticket), "ready")
        # Reopened.
        ticket.stage_id = self.stage_in_progress
        self.assertEqual(self._stored_reason(ticket), "open")

    def test_unbilled_amount_follows_the_case(self):
        ticket = self._create_case(minutes=(20,))
        # 2 units of 15 minutes at 80 an hour.
        self.assertAlmostEqual(self._stored_amount(ticket), 40.0)
        self.assertAlmostEqual(ticket.billing_amount_unbilled, ticket.billing_amount_estimate)
        # 35 minutes: 3 units.
        self._log_time(ticket, 15)
        self.assertAlmostEqual(self._stored_amount(ticket), 60.0)
        self.product_hour.lst_price = 100.0
        self.assertAlmostEqual(self._stored_amount(ticket), 75.0)
        # One unit of an hour.
        self.team.case_billing_unit_minutes = 60
        self.assertAlmostEqual(self._stored_amount(ticket), 100.0)
        invoice = self._create_invoice()
        invoice.action_add_helpdesk_cases(ticket.ids)
        self.assertAlmostEqual(self._stored_amount(ticket), 0.0)
        invoice.button_cancel()
        self.assertAlmostEqual(self._stored_amount(ticket), 100.0)

        other = self._create_case(minutes=(30,), closed=False)
        sums = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("id", "in", (ticket | other).ids)],
                ["billing_block_reason"],
                ["billing_amount_unbilled:sum"],
            )
        )
        self.assertAlmostEqual(sums["ready"], 100.0)
        self.assertAlmostEqual(sums["open"], 100.0)

    def test_report_views(self):
        action = self.env.ref("helpdesk_case_billing.helpdesk_ticket_unbilled_action")
        self.assertEqual(
            [view.view_id for view in action.view_ids],
            [
                self.env.ref("helpdesk_case_billing.helpdesk_ticket_view_list_unbilled"),
                self.env.ref("helpdesk_case_billing.helpdesk_ticket_view_pivot_unbilled"),
                self.env.ref("helpdesk_case_billing.helpdesk_ticket_view_graph_unbilled"),
            ],
        )
        Ticket = self.env["helpdesk.ticket"]
        for view in action.view_ids.view_id | action.search_view_id:
            Ticket.get_view(view.id, view.type)


@tagged("post_install", "-at_install")
class TestInvoicePrint(CaseBillingCommon, HttpCase):
    """An HTTP case: wkhtmltopdf loads the report's assets from the server,
    which must see the test's transaction."""

    def test_invoice_pdf_shows_case_number_and_title(self):
        ticket = self._create_case(name="Projector flickers", minutes=(20,))
        self._closed_on(ticket, date(2026, 11, 20))
        invoice = self._create_invoice()
        invoice.action_add_helpdesk_cases(ticket.ids)
        invoice.action_post()
        Report = self.env["ir.actions.report"]
        label = f"{ticket.number} - Projector flickers (closed 11/20/2026) - 2 × 15 min"
        if Report.get_wkhtmltopdf_state() == "ok":
            pdf, kind = Report.with_context(force_report_rendering=True)._render_qweb_pdf(
                "account.account_invoices", invoice.ids
            )
            self.assertEqual(kind, "pdf")
            self.assertTrue(pdf.startswith(b"%PDF"))
            self.assertEqual(len(PdfFileReader(io.BytesIO(pdf)).pages), 1)
        # The PDF's text cannot be read back (wkhtmltopdf draws it as shapes,
        # without fonts): check the HTML it is printed from, which Odoo renders
        # in tests unless forced.
        content, kind = Report._render_qweb_pdf("account.account_invoices", invoice.ids)
        self.assertEqual(kind, "html")
        html = content.decode() if isinstance(content, bytes) else content
        self.assertIn(label, html)
        self.assertIn(invoice.name, html)
