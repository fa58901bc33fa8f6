# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from .common import CaseBillingCommon, JsonRpcMixin


@tagged("post_install", "-at_install")
class TestRpcRights(JsonRpcMixin, CaseBillingCommon, HttpCase):
    """The billing right holds through JSON-RPC, as the web client calls it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.no_billing_user = cls._new_user(
            "hcb_rpc_no_billing",
            "helpdesk_mgmt.group_helpdesk_manager,account.group_account_invoice",
        )
        cls.biller = cls._new_user(
            "hcb_rpc_biller",
            "account.group_account_invoice,helpdesk_case_billing.group_case_billing",
        )

    def assertRpcAccessError(self, reply):
        self.assertIn("error", reply, reply)
        self.assertEqual(reply["error"]["data"]["name"], "odoo.exceptions.AccessError")
        self.assertIn("Helpdesk: bill cases", reply["error"]["data"]["message"])

    def test_rpc_without_billing_group(self):
        ticket = self._create_case()
        invoice = self._create_invoice()
        self.authenticate(self.no_billing_user.login, self.no_billing_user.login)
        self.assertRpcAccessError(
            self._call_kw("account.move", "action_add_helpdesk_cases", [[invoice.id], [ticket.id]])
        )
        self.assertRpcAccessError(
            self._call_kw("helpdesk.ticket", "action_create_invoices", [[ticket.id]])
        )
        self.assertRpcAccessError(
            self._call_kw(
                "helpdesk.ticket",
                "write",
                [[ticket.id], {"billing_status_id": self.status_not_billable.id}],
            )
        )
        # Reading is fine: the ticket form shows the status to everybody.
        reply = self._call_kw(
            "helpdesk.ticket", "read", [[ticket.id], ["billing_status_id", "is_billable_now"]]
        )
        self.assertEqual(reply["result"][0]["billing_status_id"][0], self.status_billable.id)
        self.assertTrue(reply["result"][0]["is_billable_now"])
        self.assertFalse(invoice.invoice_line_ids)
        self.assertEqual(ticket.billing_status_id, self.status_billable)

    def test_rpc_with_billing_group(self):
        ticket = self._create_case()
        invoice = self._create_invoice()
        self.authenticate(self.biller.login, self.biller.login)
        reply = self._call_kw(
            "account.move", "action_add_helpdesk_cases", [[invoice.id], [ticket.id]]
        )
        self.assertNotIn("error", reply, reply)
        line = invoice.invoice_line_ids.filtered("helpdesk_ticket_id")
        result = reply["result"]
        self.assertAlmostEqual(result.pop("spent_hours"), 20 / 60)
        self.assertEqual(
            result,
            {
                "case_count": 1,
                "billed_hours": 0.5,
                "units": [{"minutes": 15, "units": 2}],
                "amount": 40.0,
                "line_ids": line.ids,
            },
        )
        # A second call with the same case (double click) is refused.
        reply = self._call_kw(
            "account.move", "action_add_helpdesk_cases", [[invoice.id], [ticket.id]]
        )
        self.assertEqual(reply["error"]["data"]["name"], "odoo.exceptions.UserError")
        self.assertIn("Already invoiced on", reply["error"]["data"]["message"])
        self.assertEqual(len(invoice.invoice_line_ids.filtered("helpdesk_ticket_id")), 1)
