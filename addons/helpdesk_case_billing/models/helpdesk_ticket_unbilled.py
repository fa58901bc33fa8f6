# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

# Most fundamental first: the reason a manager fixes before the others.
BLOCK_REASONS = [
    ("invoiced", "Invoiced"),
    ("billing_off", "Billing off"),
    ("quoted", "Quoted"),
    ("on_sale_order", "On a sales order item"),
    ("not_billable", "Not billable status"),
    ("open", "Open"),
    ("no_solution", "No solution"),
    ("rejected", "Rejected by the customer"),
    ("awaiting_approval", "Awaiting customer approval"),
    ("no_customer", "No customer"),
    ("no_time", "No time spent"),
    ("other", "Other reason"),
    ("ready", "Ready to bill"),
]


def _blockers_depends(model):
    # The same dependencies as the blockers, whoever extends them.
    return model._fields["billing_blockers"].get_depends(model)[0]


def _estimate_depends(model):
    return [
        *model._fields["billing_amount_estimate"].get_depends(model)[0],
        "invoice_id",
        "company_id.currency_id",
        # Cases billed through a sales order: its price, the time not invoiced yet.
        "sale_line_id.price_unit",
        "sale_line_id.discount",
        "sale_line_id.product_uom_id",
        "sale_line_id.remaining_hours_available",
        "sale_line_id.order_id.currency_id",
        "timesheet_ids.so_line",
        "timesheet_ids.timesheet_invoice_id.state",
        "timesheet_ids.unit_amount",
        # Quoted cases: the quotation's price.
        "quotation_id",
        "quotation_line_ids.price_subtotal",
    ]


class HelpdeskTicket(models.Model):
    """Stored, groupable summaries of the billing rules for the reports."""

    _inherit = "helpdesk.ticket"

    billing_block_reason = fields.Selection(
        selection=BLOCK_REASONS,
        string="Main reason not billed",
        compute="_compute_billing_block_reason",
        store=True,
        index=True,
        help="The first of the reasons why the case is not billed yet; 'Ready to "
        "bill' when nothing stops it.",
    )
    billing_amount_unbilled = fields.Monetary(
        string="Unbilled amount",
        compute="_compute_billing_amount_unbilled",
        store=True,
        currency_field="billing_currency_id",
        help="What the case will still bill, before taxes, in the company's "
        "currency: its billing units at the team product's price, the price of "
        "its quotation, or its time not invoiced yet at the price of its sales "
        "order item (nothing for prepaid hours, sold already); zero once invoiced.",
    )

    @api.depends(_blockers_depends)
    def _compute_billing_block_reason(self):
        blockers = self._get_billing_blockers()
        for ticket in self:
            ticket.billing_block_reason = ticket._get_billing_block_reason(
                blockers.get(ticket.id)
            )

    @api.depends(_estimate_depends)
    def _compute_billing_amount_unbilled(self):
        for ticket in self:
            ticket.billing_amount_unbilled = ticket._get_billing_unbilled_amount()

    def _get_billing_unbilled_amount(self):
        """What the case will still bill, untaxed, in the company's currency."""
        self.ensure_one()
        if self.invoice_id:
            return 0.0
        if self.sale_line_id:
            return self._get_sale_line_unbilled_amount()
        if self.quotation_id:
            lines = self.sudo().quotation_line_ids.filtered(lambda line: line.state != "cancel")
            return sum(
                self._to_company_currency(line.price_subtotal, line.order_id.currency_id)
                for line in lines
            )
        return self.billing_amount_estimate

    def _get_sale_line_unbilled_amount(self):
        """The case's time not invoiced yet at the price of its order item;
        prepaid hours were sold, and invoiced, with the order."""
        line = self.sale_line_id.sudo()
        if line.remaining_hours_available:
            return 0.0
        timesheets = self.sudo().timesheet_ids.filtered(
            lambda ts: ts.so_line == line and ts._is_not_billed()
        )
        hours = sum(timesheets.mapped("unit_amount"))
        hour = self.env.ref("uom.product_uom_hour")
        quantity = hour._compute_quantity(hours, line.product_uom_id, round=False)
        currency = line.order_id.currency_id
        amount = currency.round(quantity * line.price_unit * (1 - (line.discount or 0.0) / 100))
        return self._to_company_currency(amount, currency)

    def _to_company_currency(self, amount, currency):
        company = self.company_id or self.env.company
        if not currency or currency == company.currency_id:
            return amount
        return currency._convert(amount, company.currency_id, company, fields.Date.today())

    def _get_billing_block_reason(self, blockers):
        """Main reason code of one case, given its blockers.

        'ready' exactly when there is no blocker, so that the field agrees with
        is_billable_now; blockers of rules this method does not know give
        'other'.
        """
        self.ensure_one()
        if not blockers:
            return "ready"
        team = self.team_id
        if self.invoice_id:
            return "invoiced"
        if not team.case_billing_enabled:
            return "billing_off"
        if self.quotation_id:
            return "quoted"
        if self.sale_line_id:
            return "on_sale_order"
        if self.billing_status_id.kind != "billable":
            return "not_billable"
        if not self.stage_id.closed:
            return "open"
        if not self.has_solution:
            return "no_solution"
        if self._get_customer_approval_blockers():
            if self.customer_approval_state == "rejected":
                return "rejected"
            return "awaiting_approval"
        if not self.partner_id:
            return "no_customer"
        if team.case_billing_mode != "fixed" and self.billing_duration_hours <= 0:
            return "no_time"
        return "other"
