# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the customer approves: the time spent, the time billed for it and the
amount, in the request and reminder mails, on the portal and in the
confirmation of Request customer approval."""
import html
from datetime import datetime

from odoo.exceptions import UserError
from odoo.modules.module import load_script
from odoo.tests import HttpCase, tagged
from odoo.tools import file_path

from .test_customer_approval import CustomerApprovalCommon

MODULE = "helpdesk_case_billing_approval"
REQUEST = f"{MODULE}.mail_template_case_approval_request"
REMINDER = f"{MODULE}.mail_template_case_approval_reminder"
WIZARD = "helpdesk.ticket.approval.request"
# The body of the request as the module shipped it up to 19.0.2.0.0.
OLD_REQUEST_BODY = """<div style="margin: 0px; padding: 0px; font-size: 13px;">
    <p style="margin: 0px; padding: 0px;">
        Hello <t t-out="object.partner_id.name or ''">Alice</t>,
        <br><br>
        We spent <strong t-out="format_duration(object.total_hours) or ''">1:20</strong> hours on your case
        <strong t-out="object.ticket_id.number or ''">HT00012</strong>
        <t t-out="object.ticket_id.name or ''">Printer broken</t>.
        Before we bill it, please check the time and approve it, or tell us what is wrong:
        click <strong>Review the time</strong> above.
    </p>
</div>"""


def readable(text):
    """The text as a reader sees it: entities decoded, no-break spaces as spaces."""
    return html.unescape(str(text)).replace("\xa0", " ")


class ApprovalFiguresCommon(CustomerApprovalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_hour.lst_price = 60.0

    def _request_mail(self, approval, template=REQUEST):
        """The body of the one mail of ``template`` to the customer (found by
        its recipient: a customer's language translates the subject too)."""
        subject = self.env.ref(template).with_context(lang=self.contact.lang)._render_field(
            "subject", approval.ids, compute_lang=True
        )[approval.id]
        mail = self._mails(approval).filtered(
            lambda m: m.subject == subject and self.contact in m.recipient_ids
        )
        self.assertEqual(len(mail), 1)
        return readable(mail.body_html)

    def _dutch(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        self.env["ir.module.module"]._load_module_terms([MODULE], ["nl_NL"])
        self.contact.lang = "nl_NL"


@tagged("post_install", "-at_install")
class TestApprovalFigures(ApprovalFiguresCommon):
    def test_the_request_says_spent_billed_and_amount(self):
        ticket = self._approval_case(minutes=(20, 30))
        approval = ticket.customer_approval_ids
        self.assertEqual((ticket.billing_units, ticket.billing_amount_estimate), (4, 60.0))
        body = self._request_mail(approval)
        self.assertIn("50 min spent, billed as 1 h (4 × 15 min): $ 60.00", body)
        self.assertNotIn("00:50", body)
        self.assertIn("Hello Alice Martens", body)
        figures = approval._get_approval_figures("en_US")
        self.assertEqual(
            {key: readable(v) if isinstance(v, str) else v for key, v in figures.items()},
            {
                "spent": "50 min",
                "billed": "1 h",
                "units": "4 × 15 min",
                "amount": "$ 60.00",
                "flat": False,
                "summary": "50 min spent, billed as 1 h (4 × 15 min): $ 60.00",
            },
        )
        self.assertEqual(
            readable(approval.billing_summary), "50 min spent, billed as 1 h (4 × 15 min): $ 60.00"
        )

    def test_the_reminder_says_them_too(self):
        self.company.case_billing_approval_reminder_days = 1
        approval = self._approval_case(minutes=(50,)).customer_approval_ids
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket_approval SET sent_date = %s WHERE id = %s",
            (datetime(2026, 1, 5, 9, 0), approval.id),
        )
        approval.invalidate_recordset(["sent_date"])
        approval.action_send_reminder()
        body = self._request_mail(approval, REMINDER)
        self.assertIn("On 01/05/2026 we asked you to approve the time", body)
        self.assertIn("50 min spent, billed as 1 h (4 × 15 min): $ 60.00", body)

    def test_a_dutch_customer_reads_dutch_words_and_numbers(self):
        self._dutch()
        self.product_hour.lst_price = 1500.0
        approval = self._approval_case(minutes=(20, 30)).customer_approval_ids
        body = self._request_mail(approval)
        self.assertIn("50 min besteed, gefactureerd als 1 uur (4 × 15 min): $ 1.500,00", body)
        self.assertIn("Beste Alice Martens", body)
        self.assertNotIn("spent", body)
        # The employee's own screens stay in the employee's language.
        self.assertEqual(
            readable(approval.billing_summary),
            "50 min spent, billed as 1 h (4 × 15 min): $ 1,500.00",
        )

    def test_durations_read_as_minutes_and_hours(self):
        fmt = self.Approval._format_minutes
        self.assertEqual(
            [fmt(m) for m in (0, 0.2, 5, 50, 60, 65, 125, 24 * 60)],
            ["0 min", "1 min", "5 min", "50 min", "1 h", "1 h 05 min", "2 h 05 min", "24 h"],
        )

    def test_the_figures_are_those_of_the_requests_time_lines(self):
        ticket = self._approval_case(minutes=(50,))
        approval = ticket.customer_approval_ids
        # Time logged after the request is not what the customer is asked about.
        self._log_time(ticket, 40)
        self.assertEqual(ticket.billing_units, 6)
        self.assertEqual(
            readable(approval._get_approval_figures()["summary"]),
            "50 min spent, billed as 1 h (4 × 15 min): $ 60.00",
        )

    def test_the_core_rule_makes_the_units(self):
        self.approval_team.write({"case_billing_minimum_minutes": 30})
        approval = self._approval_case(minutes=(10,)).customer_approval_ids
        self.assertEqual(
            readable(approval._get_approval_figures()["summary"]),
            "10 min spent, billed as 30 min (2 × 15 min (minimum charge)): $ 30.00",
        )
        self.approval_team.write(
            {"case_billing_minimum_minutes": 0, "case_billing_rounding": "line"}
        )
        approval = self._approval_case(minutes=(7, 7, 7)).customer_approval_ids
        self.assertEqual(
            readable(approval._get_approval_figures()["summary"]),
            "21 min spent, billed as 45 min (3 × 15 min): $ 45.00",
        )
        self.approval_team.case_billing_rounding = "case"
        self.assertEqual(
            readable(approval._get_approval_figures()["summary"]),
            "21 min spent, billed as 30 min (2 × 15 min): $ 30.00",
        )

    def test_a_flat_rate_says_so(self):
        self.approval_team.case_billing_mode = "fixed"
        approval = self._approval_case(minutes=()).customer_approval_ids
        self.assertIn("Billed at a flat rate: $ 60.00", self._request_mail(approval))
        approval = self._approval_case(name="With time", minutes=(50,)).customer_approval_ids
        self.assertIn("50 min spent, billed at a flat rate: $ 60.00", self._request_mail(approval))
        figures = approval._get_approval_figures()
        self.assertEqual((figures["flat"], figures["billed"]), (True, "flat rate"))

    def test_work_types_are_billed_at_their_own_prices(self):
        after_hours = self.env["product.product"].create(
            {
                "name": "After-hours",
                "type": "service",
                "uom_id": self.env.ref("uom.product_uom_hour").id,
                "lst_price": 90.0,
            }
        )
        ticket = self._approval_case(minutes=(20,), closed=False)
        self._log_time(ticket, 25).case_work_type_id = after_hours
        ticket.stage_id = self.stage_done
        approval = ticket.customer_approval_ids
        # 2 units of the team's product (30.00) and 2 after hours (45.00).
        self.assertEqual(ticket.billing_amount_estimate, 75.0)
        self.assertEqual(
            readable(approval._get_approval_figures()["summary"]),
            "45 min spent, billed as 1 h (4 × 15 min): $ 75.00",
        )
        self.assertIn("billed as 1 h (4 × 15 min): $ 75.00", self._request_mail(approval))
        wizard = self.env[WIZARD].create({"ticket_id": ticket.id})
        self.assertEqual(
            readable(wizard.billing_summary), "45 min spent, billed as 1 h (4 × 15 min): $ 75.00"
        )


@tagged("post_install", "-at_install")
class TestRequestConfirmation(ApprovalFiguresCommon):
    def _open(self, ticket):
        action = ticket.action_request_customer_approval()
        self.assertEqual((action["res_model"], action["target"]), (WIZARD, "new"))
        return self.env[WIZARD].with_context(action["context"]).create({})

    def test_it_asks_before_sending_naming_the_customer_and_the_figures(self):
        ticket = self._approval_case(minutes=(50,), closed=False)
        self.assertFalse(ticket.customer_approval_ids)
        wizard = self._open(ticket)
        self.assertFalse(ticket.customer_approval_ids, "nothing is sent before the answer")
        self.assertEqual(
            readable(wizard.question),
            "Send Acme Corporation, Alice Martens (alice@acme.example) the request to "
            "approve: 50 min spent, billed as 1 h (4 × 15 min): $ 60.00?",
        )
        self.assertFalse(wizard.unchanged_warning)
        self.assertFalse(wizard.replaced_approval_id)
        wizard.action_confirm()
        self.assertEqual(ticket.customer_approval_ids.state, "sent")
        # Asking again replaces the request waiting for the customer: it says so.
        wizard = self._open(ticket)
        self.assertEqual(wizard.replaced_approval_id, ticket.customer_approval_ids)

    def test_it_warns_when_nothing_changed_since_the_rejection(self):
        ticket = self._approval_case(minutes=(20, 30))
        rejected = ticket.customer_approval_ids
        rejected._action_customer_decision("reject", "20 minutes at most.", self.contact)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket_approval SET decision_date = %s WHERE id = %s",
            (datetime(2026, 11, 20, 12, 0), rejected.id),
        )
        rejected.invalidate_recordset(["decision_date"])
        wizard = self._open(ticket)
        self.assertEqual(
            wizard.unchanged_warning,
            "Nothing changed since Acme Corporation, Alice Martens rejected the time on "
            "11/20/2026: send again anyway?",
        )
        self.assertEqual(wizard.rejection_comment, "20 minutes at most.")
        # A line corrected: something changed.
        ticket.timesheet_ids[0].unit_amount = 0.25
        self.assertFalse(self._open(ticket).unchanged_warning)
        ticket.timesheet_ids[0].unit_amount = 20 / 60
        self.assertTrue(self._open(ticket).unchanged_warning, "back as it was answered")
        # A line added, or one marked not billable: something changed.
        extra = self._log_time(ticket, 5)
        self.assertFalse(self._open(ticket).unchanged_warning)
        extra.case_billable = False
        self.assertTrue(self._open(ticket).unchanged_warning)
        ticket.timesheet_ids[0].case_billable = False
        self.assertFalse(self._open(ticket).unchanged_warning)
        ticket.timesheet_ids[0].case_billable = True
        self.assertTrue(self._open(ticket).unchanged_warning)
        # Another work type: something changed.
        after_hours = self.env["product.product"].create(
            {
                "name": "After-hours",
                "type": "service",
                "uom_id": self.env.ref("uom.product_uom_hour").id,
                "lst_price": 90.0,
            }
        )
        ticket.timesheet_ids[1].case_work_type_id = after_hours
        self.assertFalse(self._open(ticket).unchanged_warning)
        ticket.timesheet_ids[1].case_work_type_id = False
        self.assertTrue(self._open(ticket).unchanged_warning)
        # Sent anyway, the rules are those of any request.
        ticket.timesheet_ids[0].case_billable = True
        self._open(ticket).action_confirm()
        self.assertEqual(ticket.customer_approval_state, "waiting")
        self.assertFalse(self._open(ticket).unchanged_warning, "the latest is not rejected")

    def test_a_request_answered_before_the_lines_were_recorded(self):
        # Rejected under 19.0.2.0.0: the answer has no record of its lines.
        ticket = self._approval_case(minutes=(20,))
        rejected = ticket.customer_approval_ids
        rejected._action_customer_decision("reject", "Too much", self.contact)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket_approval SET decision_line_minutes = NULL, "
            "decision_date = %s WHERE id = %s",
            (datetime(2099, 1, 1), rejected.id),
        )
        rejected.invalidate_recordset(["decision_line_minutes", "decision_date"])
        self.assertTrue(self._open(ticket).unchanged_warning)
        self._log_time(ticket, 5)
        self.assertFalse(self._open(ticket).unchanged_warning)

    def test_the_problems_are_said_before_asking(self):
        ticket = self._create_case()
        with self.assertRaisesRegex(UserError, "does not ask its customers"):
            ticket.action_request_customer_approval()
        self.assertFalse(self.env[WIZARD].search([]))


@tagged("post_install", "-at_install")
class TestTemplateMigration(ApprovalFiguresCommon):
    """19.0.2.1.0: the bodies the customers' databases hold are rewritten."""

    def _migrate(self):
        path = file_path(f"{MODULE}/migrations/19.0.2.1.0/post-migrate.py")
        load_script(path, "approval_post_migrate_19_0_2_1_0").migrate(self.env.cr, "19.0.2.0.0")
        self.env.invalidate_all()

    def test_an_old_body_is_rewritten_in_every_language(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        template = self.env.ref(REQUEST)
        self.env.cr.execute(
            "UPDATE mail_template SET body_html = jsonb_build_object('en_US', %s::text, "
            "'nl_NL', %s::text) WHERE id = %s",
            (OLD_REQUEST_BODY, OLD_REQUEST_BODY.replace("Hello", "Hallo"), template.id),
        )
        template.invalidate_recordset(["body_html"])
        self._migrate()
        english = str(template.with_context(lang="en_US").body_html)
        self.assertIn("_get_approval_figures(object.partner_id.lang)", english)
        self.assertNotIn("format_duration", english)
        dutch = str(template.with_context(lang="nl_NL").body_html)
        self.assertIn("_get_approval_figures(object.partner_id.lang)", dutch)
        self.assertIn("Beste", dutch)
        # The new body sends the figures.
        self.contact.lang = "nl_NL"
        approval = self._approval_case(minutes=(50,)).customer_approval_ids
        self.assertIn("50 min besteed, gefactureerd als 1 uur", self._request_mail(approval))

    def test_a_body_a_user_rewrote_is_kept(self):
        template = self.env.ref(REMINDER)
        template.body_html = "<p>Please answer our request, <t t-out=\"object.name\"/>.</p>"
        self._migrate()
        self.assertIn("Please answer our request", str(template.body_html))


@tagged("post_install", "-at_install")
class TestApprovalFiguresPortal(ApprovalFiguresCommon, HttpCase):
    def setUp(self):
        super().setUp()
        self.ticket = self._approval_case(name="Scanner offline", minutes=(20, 30))
        self.approval = self.ticket.customer_approval_ids

    def test_the_page_shows_the_figures_of_the_mail(self):
        response = self.url_open(self.approval.sudo().get_portal_url(), allow_redirects=False)
        self.assertEqual(response.status_code, 200)
        page = readable(response.text)
        self.assertIn("50 min spent, billed as 1 h (4 × 15 min): $ 60.00", page)
        self.assertIn("Waiting for your answer", page)
        self.assertNotIn("Waiting for the customer", page)
        self.assertIn("00:50", page, "the total of the time lines")

    def test_the_list_shows_them_too(self):
        portal_alice = self._new_user("hcb_fig_portal", "base.group_portal")
        portal_alice.partner_id.parent_id = self.customer
        self.authenticate(portal_alice.login, portal_alice.login)
        listing = readable(self.url_open("/my/case-approvals", allow_redirects=False).text)
        self.assertIn(self.approval.name, listing)
        for figure in ("50 min", "1 h", "4 × 15 min", "$ 60.00", "Waiting for your answer"):
            self.assertIn(figure, listing)
        self.assertNotIn("Waiting for the customer", listing)
