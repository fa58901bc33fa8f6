# Copyright 2026 Helpdesk Case Billing contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk Case Billing - Prepaid Hours",
    "summary": "Bill helpdesk cases through sales orders: prepaid hours with "
    "a live remaining-hours indicator, post-paid hours per period",
    "version": "19.0.2.1.0",
    "license": "AGPL-3",
    "category": "After-Sales",
    "author": "Helpdesk Case Billing contributors",
    "website": "https://github.com/helpdesk-case-billing/helpdesk-case-billing",
    "depends": ["helpdesk_case_billing", "sale_timesheet"],
    "data": [
        "views/helpdesk_ticket_views.xml",
        "views/sale_order_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "helpdesk_case_billing_sale_timesheet/static/src/**/*",
        ],
    },
    "auto_install": True,
    "installable": True,
    "application": False,
}
