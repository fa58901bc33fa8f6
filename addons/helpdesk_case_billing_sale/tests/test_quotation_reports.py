# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.tests import tagged

from odoo.addons.helpdesk_case_billing.tests.common import CaseBillingCommon
from odoo.addons.helpdesk_case_billing.tests.test_billing_reports import (
    BilledCasesReportMixin,
    UnbilledRevenueMixin,
)


@tagged("post_install", "-at_install")
class TestQuotationBilledCasesReport(BilledCasesReportMixin, CaseBillingCommon):
    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.quick_ref("sales_team.group_sale_manager")

    def test_case_invoiced_from_its_quotation(self):
        product = self.product_hour
        product.invoice_policy = "order"
        ticket = self._create_case(name="Quoted work", minutes=(30, 30))
        ticket.action_create_quotations()
        order = ticket.quotation_id
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.invoice_date = date(2026, 11, 10)
        invoice.action_post()
        rows = self._rows(ticket)
        self.assertEqual(len(rows), 1, "one line per case, in billing units")
        self.assertEqual(set(rows.mapped("billed_through")), {"quotation"})
        self.assertEqual(rows.move_id, invoice)
        self.assertAlmostEqual(sum(rows.mapped("billed_hours")), 1.0)
        self.assertAlmostEqual(sum(rows.mapped("billed_units")), 4.0)
        self.assertEqual(rows.billed_as, "4 × 15 min", "the units with their length")
        self.assertAlmostEqual(sum(rows.mapped("amount_untaxed")), 80.0)


@tagged("post_install", "-at_install")
class TestQuotationUnbilledRevenue(UnbilledRevenueMixin, CaseBillingCommon):
    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.quick_ref("sales_team.group_sale_manager")

    def test_quoted_reason(self):
        quoted = self._create_case(name="Quoted")
        quoted.action_create_quotations()
        self.assertEqual(self._stored_reason(quoted), "quoted", quoted.name)
        # Ready exactly when billable now, as the invoices see it.
        self.assertFalse(quoted.is_billable_now)
        # The report: time spent and not invoiced, whatever the reason.
        self.assertEqual(quoted.filtered_domain(self._report_domain()), quoted)
        groups = dict(
            self.env["helpdesk.ticket"]._read_group(
                self._report_domain() + [("id", "in", quoted.ids)],
                ["billing_block_reason"],
                ["__count"],
            )
        )
        self.assertEqual(groups, {"quoted": 1})

    def test_reason_follows_the_quotation(self):
        ticket = self._create_case(name="Moving case")
        self.assertEqual(self._stored_reason(ticket), "ready")
        ticket.action_create_quotations()
        order = ticket.quotation_id
        self.assertEqual(self._stored_reason(ticket), "quoted")
        order.action_cancel()
        self.assertEqual(self._stored_reason(ticket), "ready")
