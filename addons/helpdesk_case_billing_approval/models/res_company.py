# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    case_billing_approval_trigger = fields.Selection(
        selection=[
            ("on_close", "When the case is closed"),
            ("after_review", "After an internal review of the time"),
        ],
        string="Send the customer approval request",
        default="on_close",
    )
    case_billing_approval_reminder_days = fields.Integer(
        string="Approval reminder after (days)",
        default=7,
        help="A request the customer has not answered after this many days can be "
        "reminded; the scheduled action reminds it again every such period.",
    )
    case_billing_approval_expiry_days = fields.Integer(
        string="Approval request expires after (days)",
        default=30,
        help="A request the customer has not answered after this many days expires "
        "and a new one must be sent.",
    )

    @api.constrains("case_billing_approval_reminder_days", "case_billing_approval_expiry_days")
    def _check_case_billing_approval_days(self):
        for company in self:
            if company.case_billing_approval_reminder_days < 1:
                raise ValidationError(
                    self.env._(
                        "The customer approval reminder delay of %(company)s must be "
                        "at least one day.",
                        company=company.name,
                    )
                )
            if company.case_billing_approval_expiry_days < 1:
                raise ValidationError(
                    self.env._(
                        "The customer approval requests of %(company)s must expire "
                        "after at least one day.",
                        company=company.name,
                    )
                )
            reminder = company.case_billing_approval_reminder_days
            expiry = company.case_billing_approval_expiry_days
            if reminder >= expiry:
                raise ValidationError(
                    self.env._(
                        "The customer approval reminder of %(company)s comes after "
                        "%(reminder)s days, when the request has expired (after "
                        "%(expiry)s days): remind the customer before it expires.",
                        company=company.name,
                        reminder=reminder,
                        expiry=expiry,
                    )
                )
