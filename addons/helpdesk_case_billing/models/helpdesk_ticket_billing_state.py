# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

# The states a case's billing is in, as the status badge shows them. Reasons
# that only say the case is not ready yet all give "not_ready"; extensions add
# the states of their own ways of billing (quoted, on a sales order, awaiting
# the customer…) with _get_billing_state_of_reason().
STATE_COLORS = {
    "not_ready": "warning",
    "ready": "success",
    "draft_invoice": "info",
    "invoiced": "success",
    "credited": "secondary",
}


class HelpdeskTicket(models.Model):
    """Where the billing of a case stands, in words, derived from the one
    billing rule (_get_billing_blockers) and the case's invoices."""

    _inherit = "helpdesk.ticket"

    billing_state = fields.Char(
        string="Billing state",
        compute="_compute_billing_state",
        compute_sudo=True,
        help="Technical code of where the billing of the case stands.",
    )
    billing_state_label = fields.Char(
        string="Billing",
        compute="_compute_billing_state",
        compute_sudo=True,
        help="Where the billing of the case stands: not ready (and why), ready "
        "to bill, on a draft invoice, invoiced, credited, or the way it is billed "
        "otherwise.",
    )
    billing_state_color = fields.Char(
        string="Billing state colour",
        compute="_compute_billing_state",
        compute_sudo=True,
    )

    @api.depends(
        "billing_blockers",
        "invoice_id.state",
        "invoice_id.name",
        "invoice_line_ids.parent_state",
    )
    def _compute_billing_state(self):
        blockers = self._get_billing_blockers()
        for ticket in self:
            state, label = ticket._get_billing_state(blockers.get(ticket.id) or [])
            ticket.billing_state = state
            ticket.billing_state_label = label
            ticket.billing_state_color = ticket._get_billing_state_color(state)

    def _get_billing_state(self, blockers):
        """(state code, label) of one case, given its blockers."""
        self.ensure_one()
        _ = self.env._
        invoice = self.invoice_id
        if invoice:
            if invoice.state == "draft":
                return "draft_invoice", _("On a draft invoice")
            return "invoiced", _("Invoiced %(invoice)s", invoice=invoice.name)
        for code, text in blockers:
            state = self._get_billing_state_of_reason(code, text)
            if state:
                return state
        credit = self._get_billing_credit_note()
        if credit and blockers:
            return "credited", _("Credited %(credit_note)s", credit_note=credit.name)
        if credit:
            return "credited", _(
                "Credited %(credit_note)s, ready to bill again", credit_note=credit.name
            )
        if blockers:
            return "not_ready", _("Not ready")
        return "ready", _("Ready to bill")

    def _get_billing_state_of_reason(self, code, text):
        """The (state, label) a blocker puts the case in, when it is a state
        of its own rather than "not ready"; extended by the ways of billing."""
        return None

    @api.model
    def _get_billing_state_color(self, state):
        """Bootstrap colour of a state's badge; extended with the states."""
        return STATE_COLORS.get(state, "info")

    def _get_billing_credit_note(self):
        """The latest posted credit note that credits the case."""
        self.ensure_one()
        lines = self.sudo()._get_billing_invoice_lines().filtered(
            lambda line: line.move_type == "out_refund" and line.parent_state == "posted"
        )
        return max(lines.move_id, key=lambda move: move.id, default=lines.move_id)
