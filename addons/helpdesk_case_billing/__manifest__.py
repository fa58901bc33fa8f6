# Copyright 2026 Helpdesk Case Billing contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk Case Billing",
    "summary": "Bill helpdesk cases on customer invoices, by billing unit, "
    "with financial status and locking",
    "version": "19.0.2.0.0",
    "license": "AGPL-3",
    "category": "After-Sales",
    "author": "Helpdesk Case Billing contributors",
    "website": "https://github.com/helpdesk-case-billing/helpdesk-case-billing",
    "depends": ["account", "hr_timesheet", "helpdesk_mgmt"],
    "data": [
        "security/helpdesk_case_billing_security.xml",
        "security/ir.model.access.csv",
        "security/helpdesk_case_billing_report_security.xml",
        "security/helpdesk_case_billing_run_security.xml",
        "security/helpdesk_ticket_material_security.xml",
        "data/helpdesk_ticket_billing_status_data.xml",
        "data/product_data.xml",
        "views/helpdesk_ticket_billing_status_views.xml",
        "views/helpdesk_ticket_team_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/account_move_views.xml",
        "views/helpdesk_ticket_invoice_wizard_views.xml",
        "views/helpdesk_case_billing_report_views.xml",
        "data/helpdesk_case_billing_run_data.xml",
        "views/helpdesk_case_billing_run_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "helpdesk_case_billing/static/src/**/*",
        ],
    },
    "post_init_hook": "post_init_hook",
    "installable": True,
    "application": False,
}
