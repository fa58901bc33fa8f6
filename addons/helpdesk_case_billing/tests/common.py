# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
from datetime import datetime

from odoo import Command
from odoo.tests import new_test_user
from odoo.tools.safe_eval import safe_eval

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class CaseBillingCommon(AccountTestInvoicingCommon):
    """A company with a chart of accounts, a billing team (15-minute units),
    customers and helpers to create closed cases with time spent."""

    @classmethod
    def get_default_groups(cls):
        return (
            super().get_default_groups()
            | cls.quick_ref("helpdesk_mgmt.group_helpdesk_manager")
            | cls.quick_ref("hr_timesheet.group_timesheet_manager")
            | cls.quick_ref("project.group_project_manager")
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.employee = cls.env["hr.employee"].create(
            {
                "name": "Helpdesk agent",
                "user_id": cls.env.user.id,
                "company_id": cls.company.id,
            }
        )
        cls.stage_new = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_in_progress = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.status_not_billable = cls.env.ref(
            "helpdesk_case_billing.billing_status_not_billable"
        )
        cls.status_billable = cls.env.ref("helpdesk_case_billing.billing_status_billable")
        cls.status_invoiced = cls.env.ref("helpdesk_case_billing.billing_status_invoiced")
        cls.product_hour = cls.env.ref("helpdesk_case_billing.product_helpdesk_work_hour")
        # Known price and taxes whatever the chart of accounts sets up.
        cls.product_hour.write({"lst_price": 80.0, "taxes_id": [Command.set(cls.tax_sale_a.ids)]})
        cls.project = cls.env["project.project"].create(
            {"name": "Helpdesk support", "allow_timesheets": True, "company_id": cls.company.id}
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Support",
                "company_id": cls.company.id,
                "default_project_id": cls.project.id,
                "case_billing_enabled": True,
                "case_billing_unit_minutes": 15,
                "case_billing_mode": "time",
            }
        )
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create({"name": "Acme Corporation", "is_company": True})
        cls.contact = Partner.create({"name": "Alice Martens", "parent_id": cls.customer.id})
        cls.other_customer = Partner.create({"name": "Brightline Dental", "is_company": True})

    @classmethod
    def _create_case(
        cls,
        name="Printer broken",
        minutes=(20,),
        closed=True,
        solution="<p>Replaced the fuser unit.</p>",
        partner=None,
        team=None,
        **values,
    ):
        team = team or cls.team
        ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": name,
                "description": f"<p>{name}</p>",
                "partner_id": cls.contact.id if partner is None else (partner and partner.id),
                "team_id": team.id,
                "project_id": team.default_project_id.id,
                **values,
            }
        )
        if minutes:
            cls._log_time(ticket, *minutes)
        closing = {"solution": solution} if solution else {}
        if closed:
            closing["stage_id"] = cls.stage_done.id
        if closing:
            ticket.write(closing)
        return ticket

    @classmethod
    def _log_time(cls, ticket, *minutes):
        return cls.env["account.analytic.line"].create(
            [
                {
                    "name": "Diagnosis and fix",
                    "ticket_id": ticket.id,
                    "employee_id": cls.employee.id,
                    "unit_amount": m / 60,
                }
                for m in minutes
            ]
        )

    @classmethod
    def _create_invoice(cls, partner=None, company=None):
        company = company or cls.company
        return (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": (partner or cls.customer).id,
                    "company_id": company.id,
                }
            )
        )

    @classmethod
    def _new_user(cls, login, groups, company=None):
        company = company or cls.company
        return new_test_user(
            cls.env,
            login=login,
            groups=groups,
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )

    @classmethod
    def _customer_pricelist(cls, item):
        """Pricelists switched on, as the Sales settings do, and a pricelist
        with one rule given to the customer."""
        cls.env.ref("base.group_user").sudo().implied_ids += cls.env.ref(
            "product.group_product_pricelist"
        )
        pricelist = cls.env["product.pricelist"].create(
            {
                "name": "Contract prices",
                "company_id": cls.company.id,
                "item_ids": [Command.create(item)],
            }
        )
        cls.customer.with_company(cls.company).property_product_pricelist = pricelist
        return pricelist

    # What the Load helpdesk cases dialog of an invoice reads of each case
    # (CASE_FIELDS of views_src/invoice/load_cases_dialog.ts).
    GRID_FIELDS = [
        "number",
        "name",
        "team_id",
        "closed_date",
        "billing_duration_hours",
        "billing_units",
        "billing_billed_hours",
        "billing_unit_label",
        "billing_amount_estimate",
        "is_billable_now",
        "billing_blockers",
    ]

    def _load_grid(self, invoice):
        """The server call of the Load helpdesk cases dialog: its one
        search_read, with the dialog's domain, fields, order and context
        (the invoice the estimates are priced for)."""
        Ticket = self.env["helpdesk.ticket"].with_context(
            helpdesk_case_billing_invoice_id=invoice.id
        )
        return Ticket.search_read(
            [
                ("commercial_partner_id", "=", invoice.commercial_partner_id.id),
                ("case_billing_enabled", "=", True),
                ("invoice_id", "=", False),
                ("company_id", "=", invoice.company_id.id),
            ],
            self.GRID_FIELDS,
            order="number asc",
        )

    def _unbilled_report_groups(self, tickets):
        """The rows of the Unbilled revenue report grouped by reason, as its
        list and pivot views ask the server for them: {reason: count}."""
        action = self.env.ref("helpdesk_case_billing.helpdesk_ticket_unbilled_action")
        groups = self.env["helpdesk.ticket"].formatted_read_group(
            [*safe_eval(action.domain), ("id", "in", tickets.ids)],
            ["billing_block_reason"],
            ["__count"],
        )
        return {group["billing_block_reason"]: group["__count"] for group in groups}

    @staticmethod
    def _closed_on(ticket, day):
        """Pin the closing date (noon UTC: the same day in any time zone
        used by the tests)."""
        ticket.closed_date = datetime(day.year, day.month, day.day, 12, 0)


class JsonRpcMixin:
    """Calls as Odoo's web client makes them, for HttpCase tests."""

    def _call_kw(self, model, method, args, kwargs=None):
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": kwargs or {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()
