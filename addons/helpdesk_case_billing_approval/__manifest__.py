# Copyright 2026 Helpdesk Case Billing contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk Case Billing - Customer Approval",
    "summary": "Customers approve the time of their helpdesk cases on the portal "
    "before the cases are billed",
    "version": "19.0.2.1.0",
    "license": "AGPL-3",
    "category": "After-Sales",
    "author": "Helpdesk Case Billing contributors",
    "website": "https://github.com/helpdesk-case-billing/helpdesk-case-billing",
    "depends": ["helpdesk_case_billing", "portal"],
    "data": [
        "security/ir.model.access.csv",
        "security/helpdesk_ticket_approval_security.xml",
        "data/helpdesk_ticket_approval_data.xml",
        "data/mail_template_case_approval.xml",
        "report/helpdesk_ticket_approval_report.xml",
        "views/helpdesk_ticket_approval_views.xml",
        "views/helpdesk_ticket_approval_portal_templates.xml",
        "views/res_config_settings_views.xml",
        "views/helpdesk_ticket_approval_override_views.xml",
        "views/helpdesk_ticket_approval_request_views.xml",
    ],
    "installable": True,
    "application": False,
}
