# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HelpdeskTicketInvoiceWizard(models.TransientModel):
    """Confirmation before invoicing a selection of cases from the ticket list."""

    _name = "helpdesk.ticket.invoice.wizard"
    _description = "Create invoices from helpdesk cases"

    ticket_ids = fields.Many2many(
        comodel_name="helpdesk.ticket",
        string="Cases",
        default=lambda self: self._default_ticket_ids(),
    )
    billable_ticket_ids = fields.Many2many(
        comodel_name="helpdesk.ticket",
        compute="_compute_counts",
        string="Billable cases",
    )
    refused_ticket_ids = fields.Many2many(
        comodel_name="helpdesk.ticket",
        compute="_compute_counts",
        string="Cases not billable now",
    )
    case_count = fields.Integer(compute="_compute_counts")
    invoice_count = fields.Integer(compute="_compute_counts")
    summary = fields.Char(compute="_compute_counts")

    @api.model
    def _default_ticket_ids(self):
        if self.env.context.get("active_model") != "helpdesk.ticket":
            return False
        return [fields.Command.set(self.env.context.get("active_ids") or [])]

    @api.depends("ticket_ids")
    def _compute_counts(self):
        for wizard in self:
            billable = wizard.ticket_ids.filtered("is_billable_now")
            wizard.billable_ticket_ids = billable
            wizard.refused_ticket_ids = wizard.ticket_ids - billable
            wizard.case_count = len(billable)
            # One invoice per company and customer, as action_create_invoices makes them.
            invoices = len({(t.company_id, t.commercial_partner_id) for t in billable})
            wizard.invoice_count = invoices
            if invoices > 1:
                wizard.summary = self.env._(
                    "%(cases)s cases will be billed on %(invoices)s draft invoices, one per "
                    "customer.",
                    cases=len(billable),
                    invoices=invoices,
                )
            elif len(billable) > 1:
                wizard.summary = self.env._(
                    "%s cases will be billed on 1 draft invoice.", len(billable)
                )
            else:
                wizard.summary = self.env._("1 case will be billed on 1 draft invoice.")

    def action_create_invoices(self):
        self.ensure_one()
        # The server method refuses the whole selection if a case is not billable:
        # invoice the billable ones the user was shown.
        return self.billable_ticket_ids.action_create_invoices()
