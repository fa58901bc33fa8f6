# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

BILLING_GROUP = "helpdesk_case_billing.group_case_billing"


class HelpdeskCaseBillingRunCase(models.Model):
    """One case of a billing run's preview: its time, its billing units and
    the amount of its line, read from the invoice the preview built."""

    _name = "helpdesk.case.billing.run.case"
    _description = "Billing run: case to bill"
    _order = "run_id, run_line_id, id"

    run_line_id = fields.Many2one(
        "helpdesk.case.billing.run.line",
        string="Invoice of the run",
        required=True,
        ondelete="cascade",
        index=True,
    )
    run_id = fields.Many2one(related="run_line_id.run_id", store=True, index=True)
    company_id = fields.Many2one(related="run_line_id.company_id", store=True)
    ticket_id = fields.Many2one(
        "helpdesk.ticket", string="Case", required=True, readonly=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(related="run_line_id.partner_id", string="Customer")
    spent_hours = fields.Float(string="Time spent", readonly=True)
    billed_hours = fields.Float(string="Billed time", readonly=True)
    unit_label = fields.Char(string="Billing units", readonly=True)
    currency_id = fields.Many2one(related="run_line_id.currency_id")
    amount_untaxed = fields.Monetary(
        string="Untaxed amount", readonly=True, groups=BILLING_GROUP
    )
