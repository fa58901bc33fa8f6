# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .helpdesk_ticket import INVOICE_CONTEXT

# Most fundamental first: the reason a manager fixes before the others.
# Extensions insert their codes where they belong with selection_add.
BLOCK_REASONS = [
    ("invoiced", "Invoiced"),
    ("billing_off", "Billing off"),
    ("before_start", "Closed before billing started"),
    ("not_billable", "Not billable status"),
    ("open", "Open"),
    ("no_solution", "No solution"),
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
        "currency: its billing units at the team product's price (the customer's "
        "pricelist price when one of its rules applies), or what the way it is "
        "billed says (quotation, sales order item); zero once invoiced.",
    )

    @api.depends(_blockers_depends)
    def _compute_billing_block_reason(self):
        blockers = self._get_billing_blockers()
        for ticket in self:
            ticket.billing_block_reason = ticket._get_billing_block_reason(
                blockers.get(ticket.id)
            )

    # Extensions add the fields their amounts read with @api.depends on an
    # override calling super().

    @api.depends(_estimate_depends)
    def _compute_billing_amount_unbilled(self):
        for ticket in self:
            ticket.billing_amount_unbilled = ticket._get_billing_unbilled_amount()

    def _get_billing_unbilled_amount(self):
        """What the case will still bill, untaxed, in the company's currency."""
        self.ensure_one()
        if self.invoice_id:
            return 0.0
        # The estimate for the case's own customer, today, in the company's
        # currency: never for an invoice the context may name.
        ticket = self
        if self.env.context.get(INVOICE_CONTEXT):
            ticket = self.with_context(**{INVOICE_CONTEXT: False})
        return ticket.billing_amount_estimate

    def _to_company_currency(self, amount, currency):
        company = self.company_id or self.env.company
        if not currency or currency == company.currency_id:
            return amount
        return currency._convert(amount, company.currency_id, company, fields.Date.today())

    def _get_billing_block_reason(self, blockers):
        """Main reason code of one case, given its blockers: the first of
        their codes in the order of ``billing_block_reason``'s selection.

        'ready' exactly when there is no blocker, so that the field agrees with
        is_billable_now; codes the selection does not know give 'other'.
        """
        self.ensure_one()
        if not blockers:
            return "ready"
        codes = [code for code, _label in self._fields["billing_block_reason"].selection]
        known = [code for code, _text in blockers if code in codes]
        return min(known, key=codes.index, default="other")
