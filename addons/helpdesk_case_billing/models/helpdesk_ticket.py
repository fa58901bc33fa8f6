# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import inspect

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

    def _notify_get_reply_to(self, default=None, author_id=False):
        # helpdesk_mgmt 19.0.1.0.0 overrides this without the author_id argument
        # that Odoo 19's mail passes, which breaks every message posted on a
        # ticket; pass it on only where the parent accepts it.
        parent = super()._notify_get_reply_to
        if "author_id" in inspect.signature(parent).parameters:
            return parent(default=default, author_id=author_id)
        return parent(default=default)
