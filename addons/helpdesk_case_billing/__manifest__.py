# Copyright 2026 Helpdesk Case Billing contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk Case Billing",
    "summary": "Bill helpdesk cases on customer invoices, by billing unit, "
    "with financial status and locking",
    "version": "19.0.1.1.0",
    "license": "AGPL-3",
    "category": "After-Sales",
    "author": "Helpdesk Case Billing contributors",
    "website": "https://github.com/helpdesk-case-billing/helpdesk-case-billing",
    "depends": ["account", "sale_timesheet", "helpdesk_mgmt", "helpdesk_mgmt_project"],
    "data": [
        "security/helpdesk_case_billing_security.xml",
        "security/ir.model.access.csv",
        "security/helpdesk_case_billing_report_security.xml",
        "data/helpdesk_ticket_billing_status_data.xml",
        "data/product_data.xml",
        "security/helpdesk_ticket_approval_security.xml",
        "data/helpdesk_ticket_approval_data.xml",
        "data/mail_template_case_approval.xml",
        "report/helpdesk_ticket_approval_report.xml",
        "views/helpdesk_ticket_billing_status_views.xml",
        "views/helpdesk_ticket_team_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/account_move_views.xml",
        "views/helpdesk_ticket_approval_views.xml",
        "views/helpdesk_ticket_approval_portal_templates.xml",
        "views/res_config_settings_views.xml",
        "views/helpdesk_ticket_invoice_wizard_views.xml",
        "views/sale_order_views.xml",
        "views/helpdesk_ticket_quotation_views.xml",
        "views/helpdesk_case_billing_report_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "helpdesk_case_billing/static/src/scss/case_billing.scss",
            "helpdesk_case_billing/static/src/xml/*.xml",
            "helpdesk_case_billing/static/src/js/case_billing.esm.js",
        ],
    },
    "installable": True,
    "application": False,
}
