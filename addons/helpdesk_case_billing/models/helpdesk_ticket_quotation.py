# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_round

from .helpdesk_ticket import billing_units


class HelpdeskTicket(models.Model):
    """Quote a case instead of invoicing it: a draft sales order with one line
    per piece of billable time. A quoted case is not billed again as a case
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

    @api.depends("quotation_line_ids.state", "quotation_line_ids.order_id")
    def _compute_quotation_id(self):
        for ticket in self:
            lines = ticket.quotation_line_ids.filtered(lambda line: line.state != "cancel")
            ticket.quotation_id = max(lines, key=lambda line: line.id, default=lines).order_id

    @api.depends(
        "quotation_line_ids.invoice_lines.parent_state",
        "quotation_line_ids.invoice_lines.move_id",
    )
    def _compute_invoice_id(self):
        # A quoted case is billed when its order is invoiced: it is then
        # invoiced and locked as if it had been added to the invoice itself.
        super()._compute_invoice_id()
        for ticket in self.filtered(lambda t: not t.invoice_id):
            lines = ticket.quotation_line_ids.invoice_lines.filtered(
                lambda line: line.parent_state != "cancel" and line.move_type == "out_invoice"
            )
            ticket.invoice_id = max(lines, key=lambda line: line.id, default=lines).move_id

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------

    def _get_billable_timesheets(self):
        """The case's time that goes on its quotation, oldest first.

        In sudo: billing users quote the whole time of a case, whoever logged it.
        """
        self.ensure_one()
        lines = self.sudo().timesheet_ids.filtered(
            lambda line: line.case_billable and line.unit_amount > 0
        )
        return lines.sorted(lambda line: (line.date, line.id))

    def _get_quotation_refusals(self):
        """Return {ticket: [reason, …]} for the cases that cannot be quoted.

        Quoting is billing through a sales order: the case must be billable now,
        and have billable time unless its team bills a flat rate.
        """
        _ = self.env._
        blockers = self._get_billing_blockers()
        refusals = {}
        for ticket in self:
            reasons = list(blockers.get(ticket.id, []))
            # No time at all is one of the blockers already.
            if (
                ticket.team_id.case_billing_mode != "fixed"
                and ticket.billing_duration_hours > 0
                and not ticket._get_billable_timesheets()
            ):
                reasons.append(_("None of the time logged on the case is billable."))
            if reasons:
                refusals[ticket] = reasons
        return refusals

    def _prepare_quotation_line_vals(self, product, lang):
        """Values of the lines of the case's quotation."""
        self.ensure_one()
        _ = self.with_context(lang=lang).env._
        team = self.team_id
        if team.case_billing_mode == "fixed":
            return [
                {
                    "product_id": product.id,
                    "product_uom_id": product.uom_id.id,
                    "product_uom_qty": 1.0,
                    "name": _(
                        "%(number)s - %(title)s - flat rate",
                        number=self.number,
                        title=self.name,
                    ),
                    "helpdesk_ticket_id": self.id,
                }
            ]
        hour = self.env.ref("uom.product_uom_hour")
        uom = product.uom_id
        convert = uom and uom != hour and hour._has_common_reference(uom)
        digits = self.env["decimal.precision"].precision_get("Product Unit")

        def in_product_uom(hours):
            quantity = hour._compute_quantity(hours, uom, round=False) if convert else hours
            # As stored on the order line: the rounding line makes up the rest.
            return float_round(quantity, precision_digits=digits)

        vals_list = []
        timesheets = self._get_billable_timesheets()
        for line in timesheets:
            vals_list.append(
                {
                    "product_id": product.id,
                    "product_uom_id": uom.id,
                    "product_uom_qty": in_product_uom(line.unit_amount),
                    "name": _(
                        "%(number)s - %(title)s\n%(date)s, %(who)s: %(what)s",
                        number=self.number,
                        title=self.name,
                        date=fields.Date.to_string(line.date),
                        who=line.employee_id.name or line.user_id.name or "",
                        what=line.name or "",
                    ),
                    "helpdesk_ticket_id": self.id,
                    "helpdesk_timesheet_id": line.id,
                }
            )
        # Time is billed in whole units, rounded up per case, as on invoices:
        # the quotation shows the rounding in a line of its own.
        unit = team.case_billing_unit_minutes
        minutes = round(sum(timesheets.mapped("unit_amount")) * 60, 6)
        billed_minutes = billing_units(minutes, unit) * unit
        if billed_minutes - minutes > 1e-6:
            # Up to the quantity of the invoice, two-decimal rounding included.
            billed = in_product_uom(billed_minutes / 60)
            quoted = sum(vals["product_uom_qty"] for vals in vals_list)
            rounding = float_round(billed - quoted, precision_digits=digits)
            if rounding > 0:
                vals_list.append(
                    {
                        "product_id": product.id,
                        "product_uom_id": uom.id,
                        "product_uom_qty": rounding,
                        "name": _(
                            "%(number)s - %(title)s\nRounded up to whole billing units "
                            "of %(minutes)s min",
                            number=self.number,
                            title=self.name,
                            minutes=unit,
                        ),
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
        order.write(
            {
                "order_line": [
                    Command.create(vals)
                    for vals in self._prepare_quotation_line_vals(
                        product, partner.lang or self.env.lang
                    )
                ]
            }
        )
        order._message_log(
            body=self.env._("Made from helpdesk case %s.", self._get_html_link(title=self.number))
        )
        return order

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_create_quotations(self):
        """One draft quotation per case, with one line per piece of billable time."""
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
