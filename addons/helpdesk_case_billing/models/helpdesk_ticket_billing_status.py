# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketBillingStatus(models.Model):
    _name = "helpdesk.ticket.billing.status"
    _description = "Helpdesk Case Financial Status"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer(string="Colour")
    kind = fields.Selection(
        selection=[
            ("not_billable", "Not billable"),
            ("billable", "Billable"),
            ("billed", "Billed"),
        ],
        required=True,
        default="billable",
        help="What the status means for billing: only cases whose status is "
        "'Billable' can be put on an invoice; 'Billed' is set by invoicing.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(comodel_name="res.company", string="Company")
