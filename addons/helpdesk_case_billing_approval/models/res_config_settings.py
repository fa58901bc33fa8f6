# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    case_billing_approval_trigger = fields.Selection(
        related="company_id.case_billing_approval_trigger", readonly=False
    )
    case_billing_approval_reminder_days = fields.Integer(
        related="company_id.case_billing_approval_reminder_days", readonly=False
    )
    case_billing_approval_expiry_days = fields.Integer(
        related="company_id.case_billing_approval_expiry_days", readonly=False
    )
