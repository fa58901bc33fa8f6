# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    billing_status_id = fields.Many2one(
        comodel_name="helpdesk.ticket.billing.status",
        string="Financial status",
        tracking=True,
        index=True,
    )
    billing_kind = fields.Selection(related="billing_status_id.kind", string="Billing kind")
