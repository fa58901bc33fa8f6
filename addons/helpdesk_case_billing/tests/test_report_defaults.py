# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import CaseBillingCommon


@tagged("post_install", "-at_install")
class TestReportDefaults(CaseBillingCommon):
    """The billed-cases report opens on what is billed: posted invoices and
    credit notes, drafts behind their filter."""

    def _default_domain(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_case_billing.helpdesk_case_billing_report_action"
        )
        context = safe_eval(action["context"])
        search = self.env.ref("helpdesk_case_billing.helpdesk_case_billing_report_view_search")
        arch = etree.fromstring(search.arch)
        domain = []
        for name in (k[len("search_default_") :] for k in context if k.startswith("search_default_")):
            (node,) = arch.xpath(f"//filter[@name='{name}']")
            domain += safe_eval(node.get("domain"))
        return domain

    def test_billed_cases_open_on_posted_invoices(self):
        posted_case = self._create_case(name="Posted")
        draft_case = self._create_case(name="Draft")
        posted = self._create_invoice()
        posted.action_add_helpdesk_cases(posted_case.ids)
        posted.action_post()
        draft = self._create_invoice()
        draft.action_add_helpdesk_cases(draft_case.ids)
        domain = self._default_domain()
        self.assertEqual(domain, [("state", "=", "posted")])
        Report = self.env["helpdesk.case.billing.report"]
        rows = Report.search(domain + [("ticket_id", "in", (posted_case | draft_case).ids)])
        self.assertEqual(rows.move_id, posted)
        # No "None" column in the pivot and graph by month: drafts have no date.
        groups = Report.formatted_read_group(
            domain + [("ticket_id", "in", (posted_case | draft_case).ids)],
            ["invoice_date:month"],
            ["amount_untaxed:sum"],
        )
        self.assertEqual(len(groups), 1)
        self.assertTrue(groups[0]["invoice_date:month"])
        self.assertAlmostEqual(groups[0]["amount_untaxed:sum"], posted.amount_untaxed)
