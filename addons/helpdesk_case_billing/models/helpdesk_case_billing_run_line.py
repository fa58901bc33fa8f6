# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

BILLING_GROUP = "helpdesk_case_billing.group_case_billing"


class HelpdeskCaseBillingRunLine(models.Model):
    """One invoice of a billing run: a customer's cases (and team's, when
    the run makes one invoice per customer and team), what the preview found
    they would bill and what the run made of them."""

    _name = "helpdesk.case.billing.run.line"
    _description = "Billing run: one customer's invoice"
    _order = "run_id, sequence, id"
    _check_company_auto = True

    run_id = fields.Many2one(
        "helpdesk.case.billing.run", string="Billing run", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="run_id.company_id", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, ondelete="restrict"
    )
    team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Team",
        readonly=True,
        help="Set when the run makes one invoice per customer and team.",
    )
    ticket_ids = fields.Many2many(
        "helpdesk.ticket",
        "helpdesk_case_billing_run_line_ticket_rel",
        "line_id",
        "ticket_id",
        string="Cases",
        readonly=True,
    )
    case_ids = fields.One2many(
        "helpdesk.case.billing.run.case", "run_line_id", string="Cases to bill", readonly=True
    )
    case_count = fields.Integer(string="Number of cases", readonly=True)
    billed_hours = fields.Float(string="Billed hours", readonly=True)
    case_summary = fields.Text(
        string="Billing units",
        readonly=True,
        help="Each case with the billing units it bills, as the invoice line shows them.",
    )
    currency_id = fields.Many2one("res.currency", string="Currency", readonly=True)
    amount_untaxed = fields.Monetary(
        string="Untaxed amount", readonly=True, groups=BILLING_GROUP
    )
    amount_tax = fields.Monetary(string="Taxes", readonly=True, groups=BILLING_GROUP)
    amount_total = fields.Monetary(string="Total", readonly=True, groups=BILLING_GROUP)
    company_currency_id = fields.Many2one(related="run_id.company_id.currency_id", string="Company currency")
    amount_company = fields.Monetary(
        string="Untaxed amount in the company's currency",
        currency_field="company_currency_id",
        readonly=True,
        groups=BILLING_GROUP,
    )
    state = fields.Selection(
        [
            ("pending", "To do"),
            ("done", "Invoiced"),
            ("skipped", "Nothing to bill"),
            ("failed", "Failed"),
        ],
        string="Status",
        default="pending",
        required=True,
        readonly=True,
    )
    preview_done = fields.Boolean(
        string="Previewed", readonly=True, help="The amounts of its invoice are known."
    )
    invoice_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    error = fields.Text(string="Error", readonly=True)
