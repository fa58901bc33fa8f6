# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import format_duration
from odoo.tools.misc import unquote


class HelpdeskTicket(models.Model):
    """Billing a case through a sales order item (prepaid or post-paid hours).

    The case's time lines go to the order item, whose delivered quantity follows
    them; such a case is never billed as a case (see _get_billing_blockers).
    """

    _inherit = "helpdesk.ticket"

    case_billing_sale_order = fields.Boolean(
        related="team_id.case_billing_sale_order", string="Team bills on sales orders"
    )
    sale_line_id = fields.Many2one(
        comodel_name="sale.order.line",
        string="Sales order item",
        domain=lambda self: self._domain_sale_line_id(),
        index="btree_not_null",
        copy=False,
        tracking=True,
        help="The customer's sales order item (a service sold in hours) the time "
        "of this case is delivered on and billed through.",
    )
    sale_line_prepaid = fields.Boolean(
        related="sale_line_id.remaining_hours_available",
        string="Prepaid hours",
        help="Technical field: the sales order item sells prepaid hours, so "
        "hours remain on it.",
    )
    sale_line_remaining_hours = fields.Float(
        related="sale_line_id.remaining_hours",
        string="Remaining on SO",
        help="Prepaid hours left on the sales order item.",
    )
    sale_line_sold_hours = fields.Float(
        related="sale_line_id.case_billing_sold_hours",
        string="Hours sold",
    )
    sale_line_invoiced_hours = fields.Float(
        string="Invoiced through the order",
        compute="_compute_sale_line_invoiced_hours",
        help="Time of the case already invoiced through its sales order items.",
    )
    sale_line_uninvoiced_hours = fields.Float(
        string="Not invoiced yet on the order",
        compute="_compute_sale_line_invoiced_hours",
        help="Time of the case delivered on its sales order items and not invoiced yet.",
    )
    remaining_hours_threshold = fields.Integer(
        related="team_id.case_billing_remaining_threshold",
        string="Low remaining hours (%)",
    )

    billing_block_reason = fields.Selection(
        selection_add=[("on_sale_order", "On a sales order item"), ("not_billable",)],
        ondelete={"on_sale_order": "set null"},
    )

    @api.model
    def _domain_sale_line_id(self):
        hour = self.env.ref("uom.product_uom_hour")
        # Units of time share the root of Hours (Days, Minutes…).
        time_root = hour.parent_path.split("/")[0]
        return str(
            Domain(
                [
                    (
                        "order_partner_id.commercial_partner_id",
                        "=",
                        unquote("commercial_partner_id"),
                    ),
                    ("company_id", "=", unquote("company_id")),
                    ("state", "=", "sale"),
                    ("is_service", "=", True),
                    ("is_expense", "=", False),
                    ("product_uom_id.parent_path", "=like", f"{time_root}/%"),
                ]
            )
        )

    @api.model
    def _get_prepaid_sale_line(self, partner, company):
        """The customer's most recent confirmed prepaid-hours item with time left."""
        customer = partner.commercial_partner_id
        if not customer:
            return self.env["sale.order.line"]
        # sudo: helpdesk agents need not read sales orders to open a case.
        lines = (
            self.env["sale.order.line"]
            .sudo()
            .search(
                [
                    ("order_partner_id.commercial_partner_id", "=", customer.id),
                    ("company_id", "=", company.id),
                    ("state", "=", "sale"),
                    ("is_service", "=", True),
                    # Only prepaid time items have remaining hours.
                    ("remaining_hours", ">", 0),
                ]
            )
        )
        lines = lines.filtered("remaining_hours_available")
        if not lines:
            return self.env["sale.order.line"]
        latest = max(lines, key=lambda line: (line.order_id.date_order, line.order_id.id, line.id))
        return latest.with_env(self.env)

    def _bills_on_sale_orders(self):
        self.ensure_one()
        return self.team_id.case_billing_enabled and self.team_id.case_billing_sale_order

    @api.onchange("partner_id", "team_id")
    def _onchange_sale_line_customer(self):
        for ticket in self:
            if ticket.invoice_id:
                continue
            customer = ticket.partner_id.commercial_partner_id
            line = ticket.sale_line_id.sudo()
            if line and customer and line.order_partner_id.commercial_partner_id == customer:
                continue
            if ticket._bills_on_sale_orders():
                ticket.sale_line_id = self._get_prepaid_sale_line(
                    ticket.partner_id, ticket.company_id or self.env.company
                )
            else:
                ticket.sale_line_id = False

    @api.model_create_multi
    def create(self, vals_list):
        Team = self.env["helpdesk.ticket.team"]
        Partner = self.env["res.partner"]
        for vals in vals_list:
            # A line given, even an empty one, is the user's choice.
            if "sale_line_id" in vals or not vals.get("partner_id"):
                continue
            team = Team.browse(vals.get("team_id") or self.env.context.get("default_team_id"))
            if not (team.case_billing_enabled and team.case_billing_sale_order):
                continue
            company = self.env["res.company"].browse(
                vals.get("company_id")
                or self.env.context.get("default_company_id")
                or self.env.company.id
            )
            line = self._get_prepaid_sale_line(Partner.browse(vals["partner_id"]), company)
            if line:
                vals["sale_line_id"] = line.id
        return super().create(vals_list)

    def write(self, vals):
        if "sale_line_id" in vals:
            self._check_sale_line_change(vals["sale_line_id"])
        result = super().write(vals)
        if "sale_line_id" in vals:
            # Its materials follow the case to its new order.
            self._sync_material_sale_lines()
        return result

    def _check_sale_line_change(self, sale_line_id):
        # The time of an invoiced case is what the customer was billed for.
        changed = self.sudo().filtered(
            lambda t: t.invoice_id and t.sale_line_id.id != (sale_line_id or False)
        )
        if changed:
            ticket = changed[0]
            raise UserError(
                self.env._(
                    "Case %(case)s is invoiced on %(invoice)s: its sales order item "
                    "cannot be changed any more.",
                    case=ticket.number,
                    invoice=ticket.invoice_id.display_name,
                )
            )

    @api.constrains("sale_line_id", "partner_id", "company_id")
    def _check_sale_line_id(self):
        _ = self.env._
        for ticket in self.sudo().filtered("sale_line_id"):
            line = ticket.sale_line_id
            order = line.order_id
            if not ticket.commercial_partner_id:
                raise ValidationError(
                    _(
                        "Case %(case)s has no customer: choose one before linking "
                        "the case to the sales order item %(line)s.",
                        case=ticket.number,
                        line=line.display_name,
                    )
                )
            if line.order_partner_id.commercial_partner_id != ticket.commercial_partner_id:
                raise ValidationError(
                    _(
                        "The sales order item %(line)s is for %(line_customer)s, not for "
                        "the customer of case %(case)s, %(case_customer)s.",
                        line=line.display_name,
                        line_customer=line.order_partner_id.commercial_partner_id.display_name,
                        case=ticket.number,
                        case_customer=ticket.commercial_partner_id.display_name,
                    )
                )
            if line.company_id != ticket.company_id:
                raise ValidationError(
                    _(
                        "The sales order item %(line)s belongs to company %(line_company)s, "
                        "case %(case)s to %(case_company)s.",
                        line=line.display_name,
                        line_company=line.company_id.name,
                        case=ticket.number,
                        case_company=ticket.company_id.name,
                    )
                )
            if order.state != "sale":
                raise ValidationError(
                    _(
                        "The sales order %(order)s is not confirmed: confirm it before "
                        "billing case %(case)s through it.",
                        order=order.name,
                        case=ticket.number,
                    )
                )
            if not line.is_service or not line.product_uom_id._is_time_unit():
                raise ValidationError(
                    _(
                        "The sales order item %(line)s is not a service sold in units of "
                        "time: the time of case %(case)s cannot be delivered on it.",
                        line=line.display_name,
                        case=ticket.number,
                    )
                )

    @api.depends(
        "timesheet_ids.timesheet_invoice_id.state",
        "timesheet_ids.unit_amount",
        "timesheet_ids.so_line",
    )
    def _compute_sale_line_invoiced_hours(self):
        """Time of the case invoiced through its sales orders, per period.

        The case stays open and takes new time; only the invoiced time lines
        are locked (by sale_timesheet), and the next period bills the rest.
        """
        for ticket in self:
            lines = ticket.sudo().timesheet_ids.filtered("so_line")
            invoiced = lines.filtered(lambda line: not line._is_not_billed())
            ticket.sale_line_invoiced_hours = sum(invoiced.mapped("unit_amount"))
            ticket.sale_line_uninvoiced_hours = sum((lines - invoiced).mapped("unit_amount"))

    # ------------------------------------------------------------------
    # Billing rules
    # ------------------------------------------------------------------

    @api.depends("sale_line_id")
    def _compute_billing_blockers(self):
        return super()._compute_billing_blockers()

    def _get_billing_blockers(self):
        blockers = super()._get_billing_blockers()
        return self._add_billing_blockers(blockers, lambda ticket: ticket._get_sale_line_blockers())

    def _get_sale_line_blockers(self):
        # Its time is delivered on the order: billing the case would bill it twice.
        self.ensure_one()
        if not self.sale_line_id:
            return []
        _ = self.env._
        reasons = [
            (
                "on_sale_order",
                _(
                    "Billed through sales order %(order)s.",
                    order=self.sale_line_id.sudo().order_id.name,
                ),
            )
        ]
        if self.sale_line_invoiced_hours:
            reasons.append(
                (
                    "on_sale_order",
                    _(
                        "Partly invoiced through the order: %(invoiced)s h invoiced, "
                        "%(rest)s h not invoiced yet.",
                        invoiced=format_duration(self.sale_line_invoiced_hours),
                        rest=format_duration(self.sale_line_uninvoiced_hours),
                    ),
                )
            )
        return reasons

    @api.model
    def _get_billable_domain(self):
        return super()._get_billable_domain() & Domain("sale_line_id", "=", False)

    @api.depends(
        "sale_line_id.price_unit",
        "sale_line_id.discount",
        "sale_line_id.product_uom_id",
        "sale_line_id.remaining_hours_available",
        "sale_line_id.order_id.currency_id",
        "timesheet_ids.so_line",
        "timesheet_ids.timesheet_invoice_id.state",
        "timesheet_ids.unit_amount",
    )
    def _compute_billing_amount_unbilled(self):
        return super()._compute_billing_amount_unbilled()

    def _get_billing_unbilled_amount(self):
        if not self.invoice_id and self.sale_line_id:
            return self._get_sale_line_unbilled_amount()
        return super()._get_billing_unbilled_amount()

    def _get_sale_line_unbilled_amount(self):
        """The case's time not invoiced yet at the price of its order item;
        prepaid hours were sold, and invoiced, with the order."""
        line = self.sale_line_id.sudo()
        if line.remaining_hours_available:
            return 0.0
        timesheets = self.sudo().timesheet_ids.filtered(
            lambda ts: ts.so_line == line and ts._is_not_billed()
        )
        hours = sum(timesheets.mapped("unit_amount"))
        quantity = line.product_uom_id._hours_to_quantity(hours)
        currency = line.order_id.currency_id
        amount = currency.round(quantity * line.price_unit * (1 - (line.discount or 0.0) / 100))
        return self._to_company_currency(amount, currency)

    def _get_billing_state_of_reason(self, code, text):
        if code == "on_sale_order":
            return "on_sale_order", self.env._(
                "On sales order %(order)s", order=self.sale_line_id.order_id.name
            )
        return super()._get_billing_state_of_reason(code, text)
