# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import CaseBillingCommon


@tagged("post_install", "-at_install")
class TestMailCompat(CaseBillingCommon):
    """The ticket's chatter works on Odoo 19 with helpdesk_mgmt 19.0.1.0.0."""

    def test_message_post_on_a_ticket_of_a_team(self):
        ticket = self._create_case(closed=False)
        message = ticket.message_post(body="Called the customer back.", message_type="comment")
        self.assertEqual(message.model, "helpdesk.ticket")
        self.assertIn("Called the customer back.", str(message.body))

    def test_the_chatter_suggests_the_customer(self):
        ticket = self._create_case(closed=False)
        suggested = ticket._message_get_suggested_recipients(reply_discussion=True)
        self.assertIn(self.contact.id, [s.get("partner_id") for s in suggested])
