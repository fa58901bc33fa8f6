# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import CaseBillingCommon, JsonRpcMixin


class SecurityOverRpcCommon(JsonRpcMixin, CaseBillingCommon, HttpCase):
    """Users made as a company makes them, and calls through JSON-RPC as
    Odoo's own clients send them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.write({"user_ids": [Command.link(cls.env.user.id)]})
        cls.other_team = cls.team.copy({"name": "Second line", "case_billing_unit_minutes": 15})
        user = cls._new_user
        cls.agent_personal = user(
            "sec_personal", "helpdesk_mgmt.group_helpdesk_user_own,hr_timesheet.group_hr_timesheet_user"
        )
        cls.env["hr.employee"].create(
            {"name": "Personal agent", "user_id": cls.agent_personal.id, "company_id": cls.company.id}
        )
        cls.agent_team = user("sec_team", "helpdesk_mgmt.group_helpdesk_user_team")
        cls.team.user_ids |= cls.agent_personal | cls.agent_team
        cls.personal_biller = user(
            "sec_personal_biller",
            "helpdesk_mgmt.group_helpdesk_user_own,helpdesk_case_billing.group_case_billing",
        )
        cls.team.user_ids |= cls.personal_biller
        cls.biller = user(
            "sec_biller", "helpdesk_mgmt.group_helpdesk_user,helpdesk_case_billing.group_case_billing"
        )
        cls.invoicing = user("sec_invoicing", "account.group_account_invoice")
        cls.accountant = user("sec_accountant", "account.group_account_manager")
        cls.vendor_bill = cls.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": cls.other_customer.id,
                "invoice_date": "2026-11-01",
                "invoice_line_ids": [Command.create({"name": "Toner", "quantity": 1, "price_unit": 50})],
            }
        )
        cls.entry = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "line_ids": [
                    Command.create({"account_id": cls.company_data["default_account_revenue"].id, "credit": 10}),
                    Command.create({"account_id": cls.company_data["default_account_expense"].id, "debit": 10}),
                ],
            }
        )

    def _call(self, user, model, method, *args, **kwargs):
        self.authenticate(user.login, user.login)
        return self._call_kw(model, method, list(args), kwargs)

    def assertRefused(self, reply, error="AccessError", message=None):
        self.assertIn("error", reply, f"accepted: {reply}")
        data = reply["error"]["data"]
        self.assertEqual(data["name"], f"odoo.exceptions.{error}", data["message"])
        self.assertNotIn("Traceback", data["message"])
        if message:
            self.assertIn(message, data["message"])

    def assertAccepted(self, reply):
        self.assertNotIn("error", reply, reply.get("error", {}).get("data", {}).get("message"))
        return reply["result"]


@tagged("post_install", "-at_install")
class TestSecurityOverRpc(SecurityOverRpcCommon):
    """Nobody bills around the rules: every call below goes through JSON-RPC as
    Odoo's own clients send it, by users made as a company makes them, and
    must be refused with the database unchanged."""

    # --- 1. server-owned values -----------------------------------------------

    def test_agent_cannot_write_what_the_rules_compute(self):
        case = self._create_case(minutes=(20,), closed=False, solution=False)
        case.user_id = self.agent_personal
        for fname, value in [
            ("billing_duration_hours", 100.0),
            ("has_solution", True),
            ("billing_block_reason", "ready"),
            ("billing_amount_unbilled", 1.0),
        ]:
            with self.subTest(field=fname):
                reply = self._call(self.agent_personal, "helpdesk.ticket", "write", case.ids, {fname: value})
                self.assertRefused(reply, message="cannot be written")
        case.invalidate_recordset()
        self.assertAlmostEqual(case.billing_duration_hours, 1 / 3)
        self.assertFalse(case.has_solution)
        # The normal form still saves: the same values back, and other fields.
        reply = self._call(
            self.agent_personal,
            "helpdesk.ticket",
            "write",
            case.ids,
            {"name": "Printer still broken", "billing_duration_hours": case.billing_duration_hours},
        )
        self.assertAccepted(reply)
        self.assertEqual(case.name, "Printer still broken")

    def test_invoice_link_of_a_case_cannot_be_cleared(self):
        case = self._create_case(minutes=(20,))
        invoice = self._create_invoice()
        invoice.action_add_helpdesk_cases(case.ids)
        invoice.action_post()
        line = invoice.invoice_line_ids
        for user in (self.agent_personal, self.biller):
            reply = self._call(user, "helpdesk.ticket", "write", case.ids, {"invoice_id": False})
            self.assertRefused(reply)
        # The case link of the line: not by an invoicing user, not by the
        # accountant either; only the billing paths set and clear it.
        for user in (self.invoicing, self.accountant):
            with self.subTest(user=user.login):
                reply = self._call(user, "account.move.line", "write", line.ids, {"helpdesk_ticket_id": False})
                self.assertRefused(reply, message="cannot be written directly")
        other = self._create_invoice()
        reply = self._call(
            self.accountant,
            "account.move.line",
            "create",
            [{"move_id": other.id, "product_id": self.product_hour.id, "helpdesk_ticket_id": case.id}],
        )
        self.assertRefused(reply, message="cannot be written directly")
        self.assertEqual(line.helpdesk_ticket_id, case)
        self.assertEqual(case.invoice_id, invoice)
        self.assertFalse(other.invoice_line_ids)

    # --- 2. the billing right is exactly billing ------------------------------

    def test_billing_right_alone_bills(self):
        """Helpdesk user + billing right, no Invoicing role: loads and adds
        cases, creates invoices from cases, reads them; nothing else."""
        first = self._create_case(name="First", minutes=(20,))
        second = self._create_case(name="Second", minutes=(35,))
        invoice = self._create_invoice()
        result = self.assertAccepted(
            self._call(self.biller, "account.move", "action_add_helpdesk_cases", invoice.ids, first.ids)
        )
        self.assertEqual(result["case_count"], 1)
        self.assertEqual(first.invoice_id, invoice)
        action = self.assertAccepted(
            self._call(self.biller, "helpdesk.ticket", "action_create_invoices", second.ids)
        )
        made = second.invoice_id
        self.assertEqual(action["res_id"], made.id)
        self.assertEqual(made.invoice_user_id, self.biller)
        self.assertEqual(made.state, "draft")
        rows = self.assertAccepted(
            self._call(self.biller, "account.move", "read", (invoice | made).ids, ["name", "amount_total"])
        )
        self.assertEqual(len(rows), 2)
        # The invoice form opens: every field it shows reads.
        form = self.env["account.move"].with_user(self.biller).get_views([(False, "form")])
        spec = {
            name: ({"fields": {"display_name": {}}} if desc["type"] == "many2one" else {})
            for name, desc in form["models"]["account.move"]["fields"].items()
            if desc["type"] not in ("one2many", "many2many")
        }
        self.assertAccepted(self._call(self.biller, "account.move", "web_read", made.ids, specification=spec))
        # Nothing else of accounting.
        for move in (self.vendor_bill, self.entry):
            with self.subTest(move=move.move_type):
                self.assertRefused(self._call(self.biller, "account.move", "read", move.ids, ["name"]))
                self.assertRefused(
                    self._call(self.biller, "account.move.line", "read", move.line_ids.ids, ["name"])
                )
        found = self.assertAccepted(
            self._call(self.biller, "account.move", "search", [["move_type", "=", "in_invoice"]])
        )
        self.assertEqual(found, [])
        self.assertRefused(self._call(self.biller, "account.move", "action_post", made.ids))
        self.assertRefused(
            self._call(self.biller, "account.move", "write", made.ids, {"narration": "changed"})
        )
        self.assertRefused(
            self._call(self.biller, "account.move", "create", [{"move_type": "entry"}])
        )
        self.assertEqual(made.state, "draft")
        # An accountant keeps every journal entry and payment.
        rows = self.assertAccepted(
            self._call(self.accountant, "account.move", "read", (self.vendor_bill | self.entry).ids, ["name"])
        )
        self.assertEqual(len(rows), 2)
        payment = self.env["account.payment"].create(
            {"payment_type": "inbound", "partner_type": "customer", "partner_id": self.customer.id, "amount": 10}
        )
        for user, expected in ((self.accountant, payment.ids), (self.biller, [])):
            found = self.assertAccepted(
                self._call(user, "account.payment", "search", [["id", "=", payment.id]])
            )
            self.assertEqual(found, expected, user.login)

    def test_billing_right_widens_no_case_access(self):
        mine = self._create_case(name="Mine", minutes=(20,))
        mine.user_id = self.personal_biller
        theirs = self._create_case(name="Theirs", minutes=(20,), team=self.other_team)
        theirs.user_id = self.agent_team
        found = self.assertAccepted(
            self._call(self.personal_biller, "helpdesk.ticket", "search", [["id", "in", (mine | theirs).ids]])
        )
        self.assertEqual(found, mine.ids, "a Personal tickets agent sees their own cases only")
        # A billing user without a helpdesk role changes the financial status
        # of a case, and nothing else of it.
        accountant_case = self._create_case(name="Billed by accounting", minutes=(20,))
        reply = self._call(
            self.accountant, "helpdesk.ticket", "write", accountant_case.ids, {"name": "Renamed"}
        )
        self.assertRefused(reply, message="financial status of a case only")
        reply = self._call(
            self.accountant, "helpdesk.ticket", "write", accountant_case.ids, {"user_id": self.accountant.id}
        )
        self.assertRefused(reply)
        self.assertAccepted(
            self._call(
                self.accountant,
                "helpdesk.ticket",
                "write",
                accountant_case.ids,
                {"billing_status_id": self.status_not_billable.id},
            )
        )
        self.assertEqual(accountant_case.name, "Billed by accounting")
        self.assertEqual(accountant_case.billing_status_id, self.status_not_billable)

    # --- 3. bad input -------------------------------------------------------------

    def test_bad_time_and_units_are_refused(self):
        case = self._create_case(minutes=(20,), closed=False)
        for hours in (-0.5, 25.0):
            with self.subTest(hours=hours):
                reply = self._call(
                    self.agent_personal,
                    "account.analytic.line",
                    "create",
                    [{"name": "Work", "ticket_id": case.id, "unit_amount": hours, "project_id": self.project.id}],
                )
                self.assertRefused(reply, "ValidationError", "lasts from 0 to 24 hours")
        self.assertEqual(len(case.timesheet_ids), 1)
        manager = self._new_user("sec_manager", "helpdesk_mgmt.group_helpdesk_manager")
        reply = self._call(
            manager, "helpdesk.ticket.team", "write", self.team.ids, {"case_billing_unit_minutes": 2.5}
        )
        self.assertRefused(reply, "ValidationError", "whole number of minutes")
        self.assertEqual(self.team.case_billing_unit_minutes, 15)

    def test_malformed_arguments_get_a_clear_error(self):
        case = self._create_case(minutes=(20,))
        invoice = self._create_invoice()
        for ids in ("abc", None, [[case.id]], ["abc"], [2**40], [True], {"id": case.id}):
            with self.subTest(ids=ids):
                reply = self._call(self.biller, "account.move", "action_add_helpdesk_cases", invoice.ids, ids)
                self.assertRefused(reply, "UserError")
        for ids in ([["x"]], [2**40]):
            with self.subTest(ids=ids):
                reply = self._call(self.biller, "helpdesk.ticket", "action_create_invoices", ids)
                self.assertRefused(reply, "UserError")
                reply = self._call(self.biller, "account.move", "action_add_helpdesk_cases", ids, [case.id])
                self.assertRefused(reply, "UserError")
        self.assertFalse(invoice.invoice_line_ids)
        self.assertFalse(case.invoice_id)
