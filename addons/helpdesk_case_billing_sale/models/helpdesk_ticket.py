# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import format_duration

from odoo.addons.helpdesk_case_billing.models.helpdesk_ticket import (
    check_record_ids,
    linking_cases,
)

# Reasons of the billing rule (codes of billing_block_reason) saying that the
# case is billed through a document of its own: an invoice, a quotation, or
# the sales order item its time is delivered on (prepaid or post-paid hours,
# helpdesk_case_billing_sale_timesheet). Such a case is not offered a quotation.
BILLED_ELSEWHERE = frozenset({"invoiced", "quoted", "on_sale_order"})


class HelpdeskTicket(models.Model):
    """Quote a case instead of invoicing it: a draft sales order with one line
    per work type of its billable time. A quoted case is not billed again as a case
    (see _get_billing_blockers) until its quotation is cancelled."""

    _inherit = "helpdesk.ticket"

    quotation_line_ids = fields.One2many(
        comodel_name="sale.order.line",
        inverse_name="helpdesk_ticket_id",
        string="Quotation lines",
        copy=False,
    )
    quotation_id = fields.Many2one(
        comodel_name="sale.order",
        string="Quotation",
        compute="_compute_quotation_id",
        store=True,
        index="btree_not_null",
        copy=False,
        help="Sales order made from the case that is not cancelled.",
    )
    billing_block_reason = fields.Selection(
        selection_add=[("quoted", "Quoted"), ("not_billable",)],
        ondelete={"quoted": "set null"},
    )
    case_quotation_offered = fields.Boolean(
        string="Quotation offered",
        compute="_compute_case_quotation_offered",
        compute_sudo=True,
        help="Technical field: the case's team bills its cases and the case is not "
        "billed through an invoice, a quotation or a sales order item yet, so "
        "Create quotation is offered on it.",
    )

    @api.depends("case_billing_enabled", "billing_blockers")
    def _compute_case_quotation_offered(self):
        blockers = self._get_billing_blockers()
        for ticket in self:
            codes = {code for code, _text in blockers.get(ticket.id, [])}
            ticket.case_quotation_offered = bool(
                ticket.case_billing_enabled and not codes & BILLED_ELSEWHERE
            )

    @api.depends("quotation_line_ids.state", "quotation_line_ids.order_id")
    def _compute_quotation_id(self):
        for ticket in self:
            lines = ticket.quotation_line_ids.filtered(lambda line: line.state != "cancel")
            ticket.quotation_id = max(lines, key=lambda line: line.id, default=lines).order_id

    @api.depends(
        "quotation_line_ids.invoice_lines.parent_state",
        "quotation_line_ids.invoice_lines.move_id",
        "quotation_line_ids.invoice_lines.price_subtotal",
    )
    def _compute_invoice_id(self):
        return super()._compute_invoice_id()

    def _get_billing_invoice_lines(self):
        # A quoted case is billed when its order is invoiced: it is then
        # invoiced and locked as if it had been added to the invoice itself.
        return super()._get_billing_invoice_lines() | self.quotation_line_ids.invoice_lines

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------

    @api.depends("quotation_id")
    def _compute_billing_blockers(self):
        return super()._compute_billing_blockers()

    def _get_billing_blockers(self):
        blockers = super()._get_billing_blockers()
        _ = self.env._
        return self._add_billing_blockers(
            blockers,
            lambda ticket: ticket.quotation_id
            and [("quoted", _("Quoted on %(order)s.", order=ticket.quotation_id.sudo().name))],
        )

    @api.model
    def _get_billable_domain(self):
        return super()._get_billable_domain() & Domain("quotation_id", "=", False)

    @api.depends("quotation_id", "quotation_line_ids.price_subtotal")
    def _compute_billing_amount_unbilled(self):
        return super()._compute_billing_amount_unbilled()

    def _get_billing_unbilled_amount(self):
        # A quoted case bills what its quotation says.
        if self.invoice_id or not self.quotation_id:
            return super()._get_billing_unbilled_amount()
        lines = self.sudo().quotation_line_ids.filtered(lambda line: line.state != "cancel")
        return sum(
            self._to_company_currency(line.price_subtotal, line.order_id.currency_id)
            for line in lines
        )

    def _get_billable_timesheets(self, work_type=None):
        """The case's billable time, oldest first, listed on its quotation;
        only that of ``work_type`` when given (a line without a work type is
        work of the team's billing product).

        In sudo: billing users quote the whole time of a case, whoever logged it.
        """
        self.ensure_one()
        default = self.team_id.case_billing_product_id
        lines = self.sudo().timesheet_ids.filtered(
            lambda line: line.case_billable
            and line.unit_amount > 0
            and (work_type is None or (line.case_work_type_id or default) == work_type)
        )
        return lines.sorted(lambda line: (line.date, line.id))

    def _get_quotation_refusals(self):
        """Return {ticket: [reason, …]} for the cases that cannot be quoted.

        Quoting is billing through a sales order: the case must be billable now.
        """
        return self._get_billing_blocker_texts()

    def _prepare_quotation_line_vals(self, product, lang):
        """Values of the case's quotation lines, one per work type: the
        quantity and unit of its invoice lines (whole billing units), the
        time each is made of listed in its description. The work of the
        team's billing product is quoted with ``product`` (the team's
        quotation product); another work type with itself."""
        self.ensure_one()
        lang_env = self.with_context(lang=lang).env
        _ = lang_env._
        team = self.team_id
        fixed = team.case_billing_mode == "fixed"
        vals_list = []
        for line in self._get_billing_lines():
            default = line.product == team.case_billing_product_id
            line_product = product if default else line.product
            uom = line_product.uom_id if fixed else line.uom
            title = _(
                "%(number)s - %(title)s - %(what)s",
                number=self.number,
                title=self.name,
                what=self._get_billing_line_label(line, lang_env),
            )
            details = [
                _(
                    "%(date)s, %(who)s: %(what)s (%(time)s)",
                    date=fields.Date.to_string(timesheet.date),
                    who=timesheet.employee_id.name or timesheet.user_id.name or "",
                    what=timesheet.name or "",
                    time=format_duration(timesheet.unit_amount),
                )
                for timesheet in self._get_billable_timesheets(
                    None if fixed else line.product
                )
            ]
            vals_list.append(
                {
                    "product_id": line_product.id,
                    "product_uom_id": uom.id,
                    "product_uom_qty": line.quantity,
                    "name": "\n".join([title, *details]),
                    "helpdesk_ticket_id": self.id,
                }
            )
        return vals_list

    def _create_quotation(self):
        """Create the draft quotation of one case and log it on both sides."""
        self.ensure_one()
        product = self.team_id._get_case_billing_quotation_product()
        partner = self.partner_id
        order = (
            self.env["sale.order"]
            .with_company(self.company_id)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": self.company_id.id,
                    "origin": self.number,
                }
            )
        )
        # Lines once the order has its pricelist: their prices follow it.
        lang = partner.lang or self.env.lang
        vals_list = self._prepare_quotation_line_vals(product, lang)
        vals_list += self._prepare_material_quotation_line_vals(lang)
        with linking_cases():
            order.write({"order_line": [Command.create(vals) for vals in vals_list]})
        order._message_log(
            body=self.env._("Made from helpdesk case %s.", self._get_html_link(title=self.number))
        )
        return order

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_create_quotations(self):
        """One draft quotation per case, its billable time in billing units."""
        check_record_ids(self)
        self._check_case_billing_access()
        _ = self.env._
        if not self:
            raise UserError(_("Select the cases to quote."))
        self.env["sale.order"].check_access("create")
        # Lock first, then check: a concurrent billing of the same cases is
        # either refused by the lock or seen by the checks.
        self._lock_for_billing()
        refusals = self._get_quotation_refusals()
        if refusals:
            raise UserError(
                self._format_billing_refusals(
                    refusals, _("No quotation was created. These cases cannot be quoted:")
                )
            )
        orders = self.env["sale.order"]
        # All or nothing: an error on one case leaves no quotation behind.
        with self.env.cr.savepoint():
            for ticket in self:
                orders |= ticket._create_quotation()
        self.sudo()._message_log_batch(
            bodies={
                ticket.id: _("Quoted on %s.", order._get_html_link(title=order.name))
                for ticket, order in zip(self, orders, strict=True)
            }
        )
        return self._quotation_created_action(orders)

    def _quotation_created_action(self, orders):
        """Tell the user what was created, and offer to open it."""
        _ = self.env._
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale.action_quotations_with_onboarding"
        )
        action["context"] = {}
        if len(orders) == 1:
            action.update(
                {
                    "views": [(False, "form")],
                    "view_mode": "form",
                    "res_id": orders.id,
                }
            )
            title = _("Quotation %s created", orders.name)
            # The notification shows "title. message".
            message = _(
                "For case %(case)s, with the default settings: the team's quotation "
                "product and the customer's pricelist. Check it before sending it.",
                case=self.number,
            )
            button = _("Open quotation")
        else:
            action["domain"] = [("id", "in", orders.ids)]
            title = _("%s quotations created", len(orders))
            message = _(
                "%(orders)s, one per case, with the default settings: the team's "
                "quotation product and the customer's pricelist. Check them before "
                "sending them.",
                orders=", ".join(orders.mapped("name")),
            )
            button = _("Open quotations")
        return {
            "type": "ir.actions.client",
            "tag": "helpdesk_case_billing.quotation_created",
            "params": {
                "title": title,
                "message": message,
                "button": button,
                "action": action,
                "order_ids": orders.ids,
                # The case shows its quotation: reload the view.
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _get_billing_state_of_reason(self, code, text):
        if code == "quoted":
            return "quoted", self.env._("Quoted %(order)s", order=self.quotation_id.name)
        return super()._get_billing_state_of_reason(code, text)
