# Copyright 2026 Helpdesk Case Billing contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk Case Billing - Quotations",
    "summary": "Quote helpdesk cases: a draft quotation per case, in billing units",
    "version": "19.0.2.0.0",
    "license": "AGPL-3",
    "category": "After-Sales",
    "author": "Helpdesk Case Billing contributors",
    "website": "https://github.com/helpdesk-case-billing/helpdesk-case-billing",
    "depends": ["helpdesk_case_billing", "sale_management"],
    "data": [
        "security/ir.model.access.csv",
        "security/helpdesk_case_billing_sale_security.xml",
        "views/helpdesk_ticket_quotation_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "helpdesk_case_billing_sale/static/src/**/*",
        ],
    },
    "installable": True,
    "application": False,
}
