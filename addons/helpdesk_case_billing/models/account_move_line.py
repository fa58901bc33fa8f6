# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    helpdesk_ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Helpdesk case",
        index="btree_not_null",
        copy=False,
        ondelete="restrict",
        check_company=True,
        help="The helpdesk case this line bills.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        self.env["helpdesk.ticket"]._check_case_link_access(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self.env["helpdesk.ticket"]._check_case_link_access([vals])
        return super().write(vals)

    @api.constrains("helpdesk_ticket_id")
    def _check_helpdesk_ticket_billed_once(self):
        self.filtered("helpdesk_ticket_id")._check_helpdesk_ticket_conflicts()

    def _check_helpdesk_ticket_conflicts(self):
        """A case is on one invoice that is not cancelled, at most."""
        tickets = self.helpdesk_ticket_id
        if not tickets:
            return
        self.flush_model(["helpdesk_ticket_id", "parent_state"])
        groups = self.sudo()._read_group(
            [("helpdesk_ticket_id", "in", tickets.ids), ("parent_state", "!=", "cancel")],
            groupby=["helpdesk_ticket_id"],
            aggregates=["move_id:recordset"],
            having=[("__count", ">", 1)],
        )
        if groups:
            ticket, moves = groups[0]
            raise ValidationError(
                self.env._(
                    "Case %(case)s cannot be billed twice: it is on %(invoices)s.",
                    case=ticket.number,
                    invoices=", ".join(moves.mapped("display_name")),
                )
            )
