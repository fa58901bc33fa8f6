# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from odoo.addons.helpdesk_case_billing.tests.common import CaseBillingCommon
from odoo.addons.helpdesk_case_billing.tests.test_billing_reports import UnbilledRevenueMixin


@tagged("post_install", "-at_install")
class TestApprovalUnbilledRevenue(UnbilledRevenueMixin, CaseBillingCommon):
    def test_approval_reasons(self):
        self.company.case_billing_approval_trigger = "on_close"
        # Requests go to the contact's address.
        self.contact.email = "alice@acme.example"
        approval_team = self.env["helpdesk.ticket.team"].create(
            {
                "name": "Approved support",
                "company_id": self.company.id,
                "default_project_id": self.project.id,
                "case_billing_enabled": True,
                "case_billing_approval_required": True,
            }
        )
        waiting = self._create_case(name="Waiting", team=approval_team)
        self.assertEqual(waiting.customer_approval_state, "waiting")
        self.assertEqual(self._stored_reason(waiting), "awaiting_approval")
        rejected = self._create_case(name="Rejected", team=approval_team)
        rejected.customer_approval_ids._action_customer_decision("reject", "Too long", self.contact)
        self.assertEqual(self._stored_reason(rejected), "rejected")
        approved = self._create_case(name="Approved", team=approval_team)
        approved.customer_approval_ids._action_customer_decision("approve", None, self.contact)
        self.assertEqual(self._stored_reason(approved), "ready")
