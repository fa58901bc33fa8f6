# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    helpdesk_quoted_ticket_ids = fields.Many2many(
        comodel_name="helpdesk.ticket",
        string="Quoted helpdesk cases",
        compute="_compute_helpdesk_quoted_ticket_ids",
        help="The helpdesk cases this order was made from.",
    )
    helpdesk_quoted_ticket_count = fields.Integer(
        string="Quoted cases", compute="_compute_helpdesk_quoted_ticket_ids"
    )

    @api.depends("order_line.helpdesk_ticket_id")
    def _compute_helpdesk_quoted_ticket_ids(self):
        for order in self:
            # Only the cases the user may read: the order shows them.
            tickets = order.order_line.helpdesk_ticket_id._filtered_access("read")
            order.helpdesk_quoted_ticket_ids = tickets
            order.helpdesk_quoted_ticket_count = len(tickets)

    def action_draft(self):
        cancelled = self.filtered(lambda order: order.state == "cancel")
        result = super().action_draft()
        # A cancelled quotation quotes its cases again once reset, unless they
        # were quoted or invoiced elsewhere meanwhile.
        cancelled._check_helpdesk_ticket_quote_conflicts()
        return result

    def action_view_helpdesk_quoted_tickets(self):
        self.ensure_one()
        tickets = self.helpdesk_quoted_ticket_ids
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        if len(tickets) == 1:
            action.update({"views": [(False, "form")], "view_mode": "form", "res_id": tickets.id})
        else:
            action.update({"domain": [("id", "in", tickets.ids)], "context": {}})
        return action

    def _check_helpdesk_ticket_quote_conflicts(self):
        """A case is on one order that is not cancelled, at most, and not on an
        order once it is invoiced."""
        orders = self.filtered(lambda order: order.state != "cancel")
        tickets = orders.order_line.helpdesk_ticket_id
        if not tickets:
            return
        Line = self.env["sale.order.line"].sudo()
        Line.flush_model(["helpdesk_ticket_id", "order_id", "state"])
        groups = Line._read_group(
            [("helpdesk_ticket_id", "in", tickets.ids), ("state", "!=", "cancel")],
            groupby=["helpdesk_ticket_id"],
            aggregates=["order_id:recordset"],
        )
        for ticket, ticket_orders in groups:
            if len(ticket_orders) > 1:
                raise ValidationError(
                    self.env._(
                        "Case %(case)s cannot be quoted twice: it is on %(orders)s.",
                        case=ticket.number,
                        orders=", ".join(ticket_orders.mapped("name")),
                    )
                )
        # Invoiced through one of these orders is their own billing, not a conflict.
        own_invoices = orders.sudo().invoice_ids
        invoiced = tickets.sudo().filtered(
            lambda t: t.invoice_id and t.invoice_id not in own_invoices
        )
        if invoiced:
            ticket = invoiced[0]
            raise ValidationError(
                self.env._(
                    "Case %(case)s is invoiced on %(invoice)s: it cannot be on the "
                    "quotation %(order)s as well.",
                    case=ticket.number,
                    invoice=ticket.invoice_id.display_name,
                    order=", ".join(
                        orders.filtered(
                            lambda o, t=ticket: t in o.order_line.helpdesk_ticket_id
                        ).mapped("name")
                    ),
                )
            )
