# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from odoo.addons.helpdesk_case_billing.models.case_linked_line import CaseLinkedLine


class SaleOrderLine(CaseLinkedLine, models.Model):
    _inherit = "sale.order.line"

    helpdesk_ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Quoted helpdesk case",
        index="btree_not_null",
        copy=False,
        ondelete="set null",
        help="The helpdesk case this quotation line was made from.",
    )
    helpdesk_material_id = fields.Many2one(
        comodel_name="helpdesk.ticket.material",
        string="Quoted case material",
        index="btree_not_null",
        copy=False,
        ondelete="set null",
        help="The material of the case this quotation line quotes.",
    )

    @api.constrains("helpdesk_ticket_id")
    def _check_helpdesk_ticket_quoted_once(self):
        self.order_id._check_helpdesk_ticket_quote_conflicts()
