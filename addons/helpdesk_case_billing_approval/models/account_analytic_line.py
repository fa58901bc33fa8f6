# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.helpdesk_case_billing.models.account_analytic_line import LOCKED_FIELDS


class AccountAnalyticLine(models.Model):
    """Time the customer approved is what will be billed: it is locked."""

    _inherit = "account.analytic.line"

    customer_approval_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.approval",
        relation="helpdesk_ticket_approval_timesheet_rel",
        column1="timesheet_id",
        column2="approval_id",
        string="Customer approval requests",
        copy=False,
    )
    customer_approved = fields.Boolean(
        string="Approved by the customer",
        compute="_compute_customer_approved",
        compute_sudo=True,
    )

    @api.depends("customer_approval_ids.state")
    def _compute_customer_approved(self):
        for line in self:
            line.customer_approved = any(
                a.state == "approved" for a in line.customer_approval_ids
            )

    def _check_not_customer_approved(self):
        for line in self.sudo():
            approved = line.customer_approval_ids.filtered(lambda a: a.state == "approved")
            if approved:
                raise UserError(
                    self.env._(
                        "The time line “%(line)s” of %(date)s was approved by the "
                        "customer (request %(request)s): it cannot be changed or "
                        "deleted any more. Log the correction as a new time line.",
                        line=line.name or "-",
                        date=line.date,
                        request=approved[0].name,
                    )
                )
            # Billed without the customer's answer: what was decided is billed.
            overridden = line.customer_approval_ids.filtered(lambda a: a.state == "overridden")
            if overridden:
                raise UserError(
                    self.env._(
                        "The time line “%(line)s” of %(date)s is billed without the "
                        "customer's answer (request %(request)s): it cannot be changed or "
                        "deleted any more. Log the correction as a new time line.",
                        line=line.name or "-",
                        date=line.date,
                        request=overridden[0].name,
                    )
                )

    def write(self, vals):
        if LOCKED_FIELDS.intersection(vals):
            self._check_not_customer_approved()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_customer_approved(self):
        self._check_not_customer_approved()
