# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from odoo.addons.helpdesk_case_billing.tests.test_security import SecurityOverRpcCommon


@tagged("post_install", "-at_install")
class TestApprovalSecurityOverRpc(SecurityOverRpcCommon):
    """The customer's approval is the customer's: an agent cannot set it over
    JSON-RPC, and the database stays unchanged."""

    def test_agent_cannot_write_the_approval_state(self):
        case = self._create_case(minutes=(20,), closed=False, solution=False)
        case.user_id = self.agent_personal
        reply = self._call(
            self.agent_personal,
            "helpdesk.ticket",
            "write",
            case.ids,
            {"customer_approval_state": "approved"},
        )
        self.assertRefused(reply, message="cannot be written")
        case.invalidate_recordset()
        self.assertEqual(case.customer_approval_state, "none")
