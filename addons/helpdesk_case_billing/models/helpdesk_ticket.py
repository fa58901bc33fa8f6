# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime
import inspect
import math
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from typing import NamedTuple

import pytz
from psycopg2.errors import LockNotAvailable

from odoo import api, fields, models
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, format_duration, is_html_empty
from odoo.tools.misc import format_date

BILLING_GROUP = "helpdesk_case_billing.group_case_billing"

# The context key of the invoice the Load helpdesk cases grid is opened from:
# the estimates of the cases it reads are priced for that invoice.
INVOICE_CONTEXT = "helpdesk_case_billing_invoice_id"

# Set only by the addon's billing paths, never by a client: a context key
# would be, since JSON-RPC callers choose the context.
_LINKING_CASES = ContextVar("helpdesk_case_billing_linking_cases", default=False)

# The unsaved settings of a team form, while the form previews what saving
# them changes: server-side only, like _LINKING_CASES.
_PREVIEW_TEAM = ContextVar("helpdesk_case_billing_preview_team", default=None)


@contextmanager
def linking_cases():
    """Let the addon's own billing paths set case links on lines."""
    token = _LINKING_CASES.set(True)
    try:
        yield
    finally:
        _LINKING_CASES.reset(token)


@contextmanager
def previewing_team(team):
    """Evaluate the billing rule of the cases of ``team``'s saved record with
    the unsaved settings of ``team`` (a record of a team form)."""
    token = _PREVIEW_TEAM.set(team)
    try:
        yield
    finally:
        _PREVIEW_TEAM.reset(token)


def bills_cases(env):
    """Whether the user of ``env`` may bill cases: the billing group, or sudo."""
    return env.su or env.user.has_group(BILLING_GROUP)


def search_boolean(operator, value, true_domain):
    """The domain of a search on a computed boolean field.

    :param true_domain: a function returning the domain of the records whose
        value is True
    """
    if operator != "in":
        return NotImplemented
    wanted = {bool(v) for v in value}
    if wanted == {True, False}:
        return Domain.TRUE
    if not wanted:
        return Domain.FALSE
    domain = true_domain()
    return domain if True in wanted else ~domain


MAX_ID = 2**31 - 1


def is_record_id(value):
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def check_record_ids(records):
    """A clear error, not a traceback, for malformed ids sent by a client."""
    if not all(is_record_id(record_id) for record_id in records._ids):
        raise UserError(
            records.env._(
                "%(model)s records are given by their ids, whole numbers; %(ids)s is not.",
                model=records._description,
                ids=repr(list(records._ids))[:100],
            )
        )


def check_server_owned_fields(records, vals_list):
    """Refuse a client's write of the values the billing rules compute.

    The fields this addon computes (or relates) and does not offer to edit
    decide what is billed; a client may only send them back unchanged, as
    Odoo's forms may.

    :param records: the records written (empty on create)
    """
    if records.env.su:
        return
    owned = {
        name
        for name, field in records._fields.items()
        if (field._module or "").startswith("helpdesk_case_billing")
        and (field.compute or field.related)
        and field.readonly
    }
    for vals in vals_list:
        changed = [
            name
            for name in owned.intersection(vals)
            if not records
            or any(
                records._fields[name].convert_to_write(record[name], record) != vals[name]
                for record in records
            )
        ]
        if changed:
            raise AccessError(
                records.env._(
                    "%(fields)s of %(model)s follow from its time, solution, invoices and "
                    "approvals: they are computed and cannot be written.",
                    fields=", ".join(sorted(records._fields[name].string for name in changed)),
                    model=records._description,
                )
            )


def check_case_link_write(lines, vals_list, field="helpdesk_ticket_id", refusal=None):
    """Refuse a case link set or changed on ``lines`` outside the billing paths.

    :param lines: the lines written (empty on create)
    :param vals_list: the values created or written
    :param field: the link checked: the case, or the case's material
    :param refusal: ``env -> str``, what the refusal says of another link
    """
    if _LINKING_CASES.get():
        return
    for vals in vals_list:
        if field not in vals:
            continue
        # Odoo's forms may send the unchanged value back.
        new = vals[field] or False
        if lines and all(line[field].id == new for line in lines):
            continue
        if not lines and not vals[field]:
            continue
        if refusal:
            raise AccessError(refusal(lines.env))
        raise AccessError(
            lines.env._(
                "A helpdesk case is put on a line only by Load helpdesk cases, Create "
                "invoices or Create quotation, and taken off by removing the line, "
                "cancelling or crediting the invoice; it cannot be written directly."
            )
        )


class BillingPriceTerms(NamedTuple):
    """What a case line is priced for."""

    # The customer whose pricelist applies, in ``company``.
    partner: models.BaseModel
    company: models.BaseModel
    currency: models.BaseModel
    # The day of the pricelist's rules and of its currency conversion.
    date: datetime.date
    fiscal_position: models.BaseModel
    # The day Odoo's own invoice line converts the product's price at.
    rate_date: datetime.date


class BillingWorkLine(NamedTuple):
    """One line of a case: the time of one work type in billing units."""

    # The work type: the service product the line bills.
    product: models.BaseModel
    units: int
    quantity: float
    uom: models.BaseModel
    # The team's minimum charge added units to this line.
    minimum: bool


def billing_units(minutes, unit_minutes):
    """Whole billing units for ``minutes`` of time: always rounded up."""
    if unit_minutes <= 0 or minutes <= 0:
        return 0
    # Round first: float noise (20.000000001 min) must not add a unit.
    return math.ceil(round(minutes / unit_minutes, 6))


def format_hours_minutes(hours):
    """Hours as "H:MM", as the web client shows them: 4.333 → "4:20"."""
    minutes = round(abs(hours) * 60)
    sign = "-" if hours < 0 and minutes else ""
    return f"{sign}{minutes // 60}:{minutes % 60:02d}"


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    case_billing_enabled = fields.Boolean(
        related="team_id.case_billing_enabled", string="Team bills cases"
    )
    billing_status_id = fields.Many2one(
        comodel_name="helpdesk.ticket.billing.status",
        string="Financial status",
        compute="_compute_billing_status_id",
        store=True,
        readonly=False,
        tracking=True,
        index=True,
        copy=False,
        ondelete="restrict",
    )
    billing_kind = fields.Selection(related="billing_status_id.kind", string="Billing kind")
    billing_status_color = fields.Integer(
        related="billing_status_id.color", string="Financial status colour"
    )
    solution = fields.Html(
        sanitize_style=True,
        copy=False,
        help="What was done to solve the case; required to bill it.",
    )
    has_solution = fields.Boolean(
        compute="_compute_has_solution",
        store=True,
        help="Technical field: a solution with some content is written.",
    )
    timesheet_ids = fields.One2many(
        comodel_name="account.analytic.line",
        inverse_name="ticket_id",
        string="Timesheets",
    )
    # The names and meaning helpdesk_mgmt_project gives them, so that both
    # modules can be installed together: the project time is logged in.
    project_id = fields.Many2one(
        comodel_name="project.project",
        string="Project",
        compute="_compute_project_id",
        store=True,
        readonly=False,
        tracking=True,
        check_company=True,
    )
    task_id = fields.Many2one(
        comodel_name="project.task",
        string="Task",
        compute="_compute_task_id",
        store=True,
        readonly=False,
        tracking=True,
        check_company=True,
    )
    billing_duration_hours = fields.Float(
        string="Billable time",
        compute="_compute_billing_duration_hours",
        store=True,
        help="Sum of the hours of the case's time lines marked billable; time "
        "marked not billable is never billed.",
    )
    billing_units = fields.Integer(
        string="Billing units",
        compute="_compute_billing_quantities",
        help="Time spent rounded up to whole billing units of the team, at least "
        "its minimum charge (1 for a flat rate).",
    )
    billing_quantity = fields.Float(
        string="Billed quantity",
        compute="_compute_billing_quantities",
        digits="Product Unit",
        help="Quantity of the invoice line: whole billing units (1 for a flat rate).",
    )
    billing_billed_hours = fields.Float(
        string="Billed time",
        compute="_compute_billing_quantities",
        help="Time billed: the billable time rounded up to whole billing units "
        "(nothing for a flat rate).",
    )
    billing_unit_label = fields.Char(
        string="Billed as",
        compute="_compute_billing_quantities",
        help="What the invoice line bills, as its label says: units and their "
        "length (and whether the team's minimum charge made them), or a flat rate.",
    )
    billing_unit_minutes = fields.Integer(
        string="Billing unit length",
        compute="_compute_billing_unit_minutes",
        help="Minutes of one billing unit of the case's team; 0 for a flat rate. "
        "Units of different lengths are never added up.",
    )
    billing_work_type_summary = fields.Text(
        string="Time per work type",
        compute="_compute_billing_quantities",
        help="The billable time of each work type of the case and what it is "
        "billed as: one invoice line per work type.",
    )
    billing_uom_id = fields.Many2one(
        comodel_name="uom.uom",
        string="Billed unit",
        compute="_compute_billing_quantities",
        help="Unit of the invoice line: the team's billing unit, or the product's "
        "unit for a flat rate.",
    )
    billing_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Billing currency"
    )
    billing_estimate_currency_id = fields.Many2one(
        comodel_name="res.currency",
        string="Estimate currency",
        compute="_compute_billing_quantities",
        help="Technical field: the currency of the estimated amount, the company's, "
        "or the invoice's in the Load helpdesk cases grid.",
    )
    billing_amount_estimate = fields.Monetary(
        string="Estimated amount",
        compute="_compute_billing_quantities",
        currency_field="billing_estimate_currency_id",
        help="The sum of the case's lines, one per work type: each line's billed "
        "quantity times the unit price of its product in the billing unit, "
        "rounded once, before taxes: the price of the rule of the "
        "customer's pricelist that applies (today, or on the invoice's date in the "
        "Load helpdesk cases grid), else the product's sales price.",
    )
    billing_blockers = fields.Text(
        string="Why not billable",
        compute="_compute_billing_blockers",
        compute_sudo=True,
        help="Every reason why the case cannot be billed now, one per line.",
    )
    is_billable_now = fields.Boolean(
        string="Billable now",
        compute="_compute_billing_blockers",
        compute_sudo=True,
        search="_search_is_billable_now",
    )
    invoice_line_ids = fields.One2many(
        comodel_name="account.move.line",
        inverse_name="helpdesk_ticket_id",
        string="Invoice lines",
        copy=False,
    )
    invoice_id = fields.Many2one(
        comodel_name="account.move",
        string="Invoice",
        compute="_compute_invoice_id",
        store=True,
        index="btree_not_null",
        copy=False,
        help="The customer invoice that bills the case: the latest one that is "
        "neither cancelled nor fully credited.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("team_id")
    def _compute_project_id(self):
        # A case without a project takes its team's; a chosen one is kept.
        for ticket in self:
            if not ticket.project_id and ticket.team_id.default_project_id:
                ticket.project_id = ticket.team_id.default_project_id

    def _compute_stage_id(self):
        # helpdesk_mgmt 19.0.1.1.0 computes the stage from the team, and
        # recomputes it whenever a user is assigned: an invoiced case keeps
        # the closed stage it was billed in. Older releases have no compute.
        super()._compute_stage_id()
        invoiced = self.filtered(lambda t: is_record_id(t.id) and t.invoice_id)
        if invoiced:
            self.env.cr.execute(
                SQL(
                    "SELECT id, stage_id FROM helpdesk_ticket WHERE id IN %s",
                    tuple(invoiced.ids),
                )
            )
            Stage = self.env["helpdesk.ticket.stage"]
            for ticket_id, stage_id in self.env.cr.fetchall():
                self.browse(ticket_id).stage_id = Stage.browse(stage_id)

    @api.depends("project_id")
    def _compute_task_id(self):
        for ticket in self:
            if ticket.task_id.project_id != ticket.project_id:
                ticket.task_id = False

    @api.depends("solution")
    def _compute_has_solution(self):
        for ticket in self:
            ticket.has_solution = not is_html_empty(ticket.solution)

    @api.depends("timesheet_ids.unit_amount", "timesheet_ids.case_billable")
    def _compute_billing_duration_hours(self):
        for ticket in self:
            ticket.billing_duration_hours = sum(
                ticket.timesheet_ids.filtered("case_billable").mapped("unit_amount")
            )

    @api.depends(
        "invoice_line_ids.parent_state",
        "invoice_line_ids.move_id",
        "invoice_line_ids.price_subtotal",
    )
    def _compute_invoice_id(self):
        for ticket in self:
            live = ticket._get_billing_live_invoices()
            ticket.invoice_id = max(live, key=lambda move: move.id, default=live)

    @api.depends("invoice_id")
    def _compute_billing_status_id(self):
        """Follow the invoicing of the case.

        A new case gets its team's default status; a case on an invoice gets the
        team's invoiced status; a case whose invoice is gone (cancelled, line or
        invoice deleted) is billable again. A status chosen by hand on a case
        that is not billed is kept.
        """
        for ticket in self:
            team = ticket.team_id
            if ticket.invoice_id:
                ticket.billing_status_id = team._get_case_billing_invoiced_status()
            elif not ticket.billing_status_id:
                ticket.billing_status_id = team._get_case_billing_default_status()
            elif ticket.billing_status_id.kind == "billed":
                ticket.billing_status_id = team._get_case_billing_unbilled_status()

    @api.depends(
        "billing_duration_hours",
        "timesheet_ids.unit_amount",
        "timesheet_ids.case_billable",
        "timesheet_ids.case_work_type_id.lst_price",
        "timesheet_ids.case_work_type_id.uom_id",
        "team_id.case_billing_mode",
        "team_id.case_billing_unit_minutes",
        "team_id.case_billing_minimum_minutes",
        "team_id.case_billing_rounding",
        "team_id.case_billing_product_id.lst_price",
        "team_id.case_billing_product_id.uom_id",
        "team_id.case_billing_uom_id",
        "company_id.currency_id",
        "commercial_partner_id.specific_property_product_pricelist",
        "commercial_partner_id.country_id",
    )
    @api.depends_context(INVOICE_CONTEXT)
    def _compute_billing_quantities(self):
        move = self._get_billing_context_invoice()
        terms = move and self._get_billing_price_terms(move)
        prices = {}
        for ticket in self:
            work_lines = ticket._get_billing_lines()
            units, quantity, uom = ticket._get_billing_line_quantity(work_lines)
            ticket.billing_units = units
            ticket.billing_quantity = quantity
            ticket.billing_uom_id = uom
            ticket.billing_billed_hours, ticket.billing_unit_label = ticket._get_billed_time(units)
            ticket.billing_work_type_summary = ticket._get_billing_work_type_summary(work_lines)
            ticket_terms = terms or ticket._get_billing_price_terms()
            ticket.billing_estimate_currency_id = ticket_terms.currency
            ticket.billing_amount_estimate = ticket._get_billing_lines_amount(
                work_lines, ticket_terms, prices
            )

    @api.depends("team_id.case_billing_mode", "team_id.case_billing_unit_minutes")
    def _compute_billing_unit_minutes(self):
        for ticket in self:
            team = ticket.team_id
            fixed = team.case_billing_mode == "fixed"
            ticket.billing_unit_minutes = 0 if fixed else team.case_billing_unit_minutes

    @api.model
    def _get_billing_context_invoice(self):
        """The invoice of the context the estimates are priced for (the Load
        helpdesk cases grid's), if the user may read it; else no invoice."""
        move_id = self.env.context.get(INVOICE_CONTEXT)
        if not is_record_id(move_id):
            return None
        move = self.env["account.move"].browse(move_id)
        try:
            # Read as the user: an invoice the user may not read prices nothing.
            if move.move_type != "out_invoice":
                return None
        except (AccessError, MissingError):
            return None
        # Its customer, currency and fiscal position, whatever the user's rights on them.
        return move.sudo()

    @api.depends(
        "team_id.case_billing_enabled",
        "team_id.case_billing_mode",
        "billing_status_id.kind",
        "stage_id.closed",
        "has_solution",
        "billing_duration_hours",
        "timesheet_ids.unit_amount",
        "invoice_id",
        "partner_id",
        "closed_date",
        "team_id.case_billing_start_date",
        "team_id.company_id.partner_id.tz",
    )
    def _compute_billing_blockers(self):
        # Extensions add the fields their rules read with @api.depends on an
        # override calling super(): Odoo merges the dependencies.
        blockers = self._get_billing_blockers()
        for ticket in self:
            reasons = blockers.get(ticket.id) or []
            ticket.billing_blockers = "\n".join(text for _code, text in reasons) or False
            ticket.is_billable_now = not reasons

    def _search_is_billable_now(self, operator, value):
        return search_boolean(operator, value, self._get_billable_domain)

    @api.model
    def _get_billable_domain(self):
        """The cases with no blocker, as a domain: the rules of
        ``_get_billing_blockers`` searched in the database. Extensions add
        their rules with ``super() & …``."""
        return Domain(
            [
                ("team_id.case_billing_enabled", "=", True),
                ("billing_status_id.kind", "=", "billable"),
                ("stage_id.closed", "=", True),
                ("has_solution", "=", True),
                ("invoice_id", "=", False),
                ("partner_id", "!=", False),
            ]
        ) & (
            Domain("team_id.case_billing_mode", "=", "fixed")
            | Domain("billing_duration_hours", ">", 0)
        ) & self._get_billing_start_domain()

    @api.model
    def _get_billing_start_domain(self):
        """The cases closed on or after their team's *Bill cases closed from*
        (the "before_start" reason of ``_get_billing_blockers`` searched)."""
        # sudo: the rule holds whatever teams the user may read.
        teams = (
            self.env["helpdesk.ticket.team"]
            .sudo()
            .with_context(active_test=False)
            .search([("case_billing_start_date", "!=", False)])
        )
        if not teams:
            return Domain.TRUE
        domain = Domain("team_id", "not in", teams.ids)
        for team in teams:
            start = team._get_case_billing_start_moment()
            domain |= Domain("team_id", "=", team.id) & (
                Domain("closed_date", ">=", start)
                | (Domain("closed_date", "=", False) & Domain("create_date", ">=", start))
            )
        return domain

    # ------------------------------------------------------------------
    # Billing rules
    # ------------------------------------------------------------------

    def _get_billing_minutes(self):
        self.ensure_one()
        # Round first: 20 min is 0.3333… h, whose product by 60 is not 20.
        return round(self.billing_duration_hours * 60, 6)

    def _get_billing_time_line_minutes(self):
        """[(work type, minutes)] of each billable time line of the case, the
        work type empty where the line has none.

        In sudo: the case bills the time of every agent, whatever lines the
        current user may read.
        """
        self.ensure_one()
        return [
            (line.case_work_type_id.with_env(self.env), round(line.unit_amount * 60, 6))
            for line in self.sudo().timesheet_ids
            if line.case_billable
        ]

    def _get_billing_line_minutes(self):
        """Minutes of each billable time line of the case, whatever its work type."""
        self.ensure_one()
        return [minutes for _work_type, minutes in self._get_billing_time_line_minutes()]

    def _get_billing_work_type_minutes(self):
        """{work type: [minutes of each billable time line]}: the one grouping
        of a case's time by work type.

        A line without a work type is work of the team's billing product. The
        team's product comes first, then the other work types in the order of
        their ids.
        """
        self.ensure_one()
        default = self.team_id.case_billing_product_id
        groups = defaultdict(list)
        for work_type, minutes in self._get_billing_time_line_minutes():
            groups[work_type or default].append(minutes)
        return dict(
            sorted(groups.items(), key=lambda item: (item[0] != default, item[0].id or 0))
        )

    def _get_billing_time_lines(self):
        """The case's lines in time mode, one ``BillingWorkLine`` per work
        type with time: the one rule of how many billing units a case billed
        by its time makes.

        Each work type's time is rounded up to whole billing units on its
        own, the way the team rounds: its total time (the default) or each of
        its time lines, the line then billing their sum (7 + 7 + 7 minutes at
        15-minute units: 2 units as a total, 3 line by line). A case with
        billable time is billed at least the team's minimum charge, itself
        rounded up to whole units, over all its work types: the units missing
        to the minimum go to the line of the team's billing product (made for
        them when the case has no time of it), which says "(minimum charge)".
        A case without billable time makes no line, minimum or not: it is not
        billable in time mode.
        """
        self.ensure_one()
        team = self.team_id
        unit = team.case_billing_unit_minutes
        uom = team.case_billing_uom_id
        default = team.case_billing_product_id
        units_of = {}
        for product, minutes in self._get_billing_work_type_minutes().items():
            if team.case_billing_rounding == "line":
                units = sum(billing_units(m, unit) for m in minutes)
            else:
                units = billing_units(round(sum(minutes), 6), unit)
            if units:
                units_of[product] = units
        total = sum(units_of.values())
        minimum = billing_units(team.case_billing_minimum_minutes or 0, unit)
        topped = 0 < total < minimum
        if topped:
            # The team's product first, as it comes when it has time.
            others = {product: units for product, units in units_of.items() if product != default}
            units_of = {default: units_of.get(default, 0) + minimum - total, **others}
        return [
            BillingWorkLine(product, units, float(units), uom, topped and product == default)
            for product, units in units_of.items()
        ]

    def _get_billing_lines(self):
        """The case's lines, as ``BillingWorkLine``: one per work type in time
        mode (``_get_billing_time_lines``), the flat rate's one line of the
        team's product in its own unit otherwise. A case without billable
        time in time mode has one empty line of the team's product."""
        self.ensure_one()
        team = self.team_id
        product = team.case_billing_product_id
        if team.case_billing_mode == "fixed":
            return [BillingWorkLine(product, 1, 1.0, product.uom_id, False)]
        return self._get_billing_time_lines() or [
            BillingWorkLine(product, 0, 0.0, team.case_billing_uom_id, False)
        ]

    def _get_billing_time_units(self):
        """Return (units, minimum charged) for the case's time: the sum of
        its lines' units (``_get_billing_time_lines``); ``minimum charged``
        is True when the team's minimum charge added units."""
        self.ensure_one()
        lines = self._get_billing_time_lines()
        return sum(line.units for line in lines), any(line.minimum for line in lines)

    def _get_billing_line_quantity(self, lines=None):
        """Return (units, quantity, unit of measure) of the case: the sum of
        its lines (``_get_billing_lines``, or ``lines`` when the caller has
        them already).

        In time mode the quantity is the number of whole billing units of
        the case's lines (rounding and minimum charge included), in the
        team's billing unit: it is exact whatever the unit's length, and a
        line's price per unit is the hourly price scaled by Odoo's unit
        conversion, so each line's amount is rounded once (3 × 7 min at 55.00
        an hour bill 19.25). A flat rate is one of the product's unit.
        """
        self.ensure_one()
        lines = lines if lines is not None else self._get_billing_lines()
        units = sum(line.units for line in lines)
        return units, float(units), lines[0].uom

    def _get_billed_time(self, units, env=None):
        """(hours billed, "2 × 15 min" or "flat rate") for ``units`` billing
        units, in the language of ``env`` (the user's by default). The label
        says "(minimum charge)" when the team's minimum made the case's units."""
        self.ensure_one()
        _ = (env or self.env)._
        team = self.team_id
        if team.case_billing_mode == "fixed":
            return 0.0, _("flat rate")
        minutes = team.case_billing_unit_minutes
        if units and self._get_billing_time_units() == (units, True):
            label = _(
                "%(units)s × %(minutes)s min (minimum charge)", units=units, minutes=minutes
            )
        else:
            label = _("%(units)s × %(minutes)s min", units=units, minutes=minutes)
        return units * minutes / 60, label

    def _group_billing_units(self, units_by_ticket):
        """Billing units of ``units_by_ticket`` ({case: units}) added up per
        length, shortest first and flat rates (0 minutes) last:
        ``[{"minutes": 15, "units": 18}, {"minutes": 30, "units": 2}]``.
        Units of different lengths never add up."""
        by_minutes = {}
        for ticket, units in units_by_ticket.items():
            if units:
                minutes = ticket.billing_unit_minutes
                by_minutes[minutes] = by_minutes.get(minutes, 0) + units
        return [
            {"minutes": minutes, "units": units}
            for minutes, units in sorted(by_minutes.items(), key=lambda i: (not i[0], i[0]))
            if units
        ]

    @api.model
    def _format_billing_units(self, groups, env=None):
        """"18 × 15 min + 2 × 30 min + 1 flat rate" for ``groups`` as
        ``_group_billing_units`` gives them, in the language of ``env``."""
        _ = (env or self.env)._
        texts = []
        for group in groups:
            units, minutes = group["units"], group["minutes"]
            if minutes:
                texts.append(_("%(units)s × %(minutes)s min", units=units, minutes=minutes))
            elif abs(units) == 1:
                texts.append(_("%s flat rate", units))
            else:
                texts.append(_("%s flat rates", units))
        return " + ".join(texts)

    def _get_billing_line_label(self, line, env=None):
        """What ``line`` (a ``BillingWorkLine`` of the case) bills, as its
        invoice or quotation line says it after the case's number and title:
        "3 × 15 min", "On-site - 3 × 15 min" for a work type other than the
        team's product, "(minimum charge)" when the minimum made its units,
        or "flat rate"; in the language of ``env`` (the user's by default)."""
        self.ensure_one()
        env = env or self.env
        _ = env._
        team = self.team_id
        if team.case_billing_mode == "fixed":
            return _("flat rate")
        minutes = team.case_billing_unit_minutes
        if line.minimum:
            what = _(
                "%(units)s × %(minutes)s min (minimum charge)",
                units=line.units,
                minutes=minutes,
            )
        else:
            what = _("%(units)s × %(minutes)s min", units=line.units, minutes=minutes)
        if line.product == team.case_billing_product_id:
            return what
        return _(
            "%(work_type)s - %(billed)s",
            work_type=line.product.with_env(env).sudo().name,
            billed=what,
        )

    def _get_billing_work_type_summary(self, lines=None):
        """The case's time per work type, one line each: "On-site: 1:30 spent,
        billed as 6 × 15 min"; nothing for a flat rate or a case with a single
        work type of the team's product."""
        self.ensure_one()
        team = self.team_id
        if team.case_billing_mode == "fixed":
            return False
        _ = self.env._
        lines = {
            line.product: line
            for line in (lines if lines is not None else self._get_billing_lines())
        }
        groups = self._get_billing_work_type_minutes()
        if set(groups) | set(lines) <= {team.case_billing_product_id}:
            return False
        summary = []
        for product in {**groups, **lines}:
            spent = sum(groups.get(product, []))
            line = lines.get(product)
            summary.append(
                _(
                    "%(work_type)s: %(spent)s spent, billed as %(billed)s",
                    work_type=product.sudo().name,
                    spent=format_duration(spent / 60),
                    billed=self._get_billing_line_label(
                        line._replace(product=team.case_billing_product_id)
                    )
                    if line
                    else _("nothing"),
                )
            )
        return "\n".join(summary)

    def _get_billing_price_terms(self, move=None):
        """What the case's line is priced for, as ``BillingPriceTerms``.

        On ``move`` (a customer invoice): the invoice's customer, company,
        currency and fiscal position, on its invoice date (today while it has
        none). For a case not on an invoice: its customer in its company,
        today, in the company's currency, without a fiscal position, as Create
        invoices bills it.
        """
        if move:
            today = fields.Date.context_today(move)
            return BillingPriceTerms(
                partner=move.partner_id,
                company=move.company_id,
                currency=move.currency_id,
                date=move.invoice_date or today,
                fiscal_position=move.fiscal_position_id,
                rate_date=move.date or today,
            )
        self.ensure_one()
        company = self.company_id or self.env.company
        today = fields.Date.context_today(self)
        return BillingPriceTerms(
            partner=self.commercial_partner_id,
            company=company,
            currency=company.currency_id,
            date=today,
            fiscal_position=self.env["account.fiscal.position"],
            rate_date=today,
        )

    @api.model
    def _get_billing_price_unit(self, product, quantity, uom, terms):
        """Return (unit price, pricelist rule) of ``quantity`` ``uom`` of
        ``product`` on a case line priced for ``terms``: the one price of a
        case, on its invoice line, in the grid and on the case.

        When the customer's pricelist has a rule that applies, the price a
        sales order line takes from that pricelist (Odoo's reference for a
        price with a pricelist): the rule found on the terms' date, its
        minimum quantity compared in the product's unit, its price in ``uom``
        and in the pricelist's currency, converted to the terms' currency on
        that date, then fitted to the taxes the fiscal position maps (taxes
        included in the price). Otherwise the product's sales price in
        ``uom`` and currency, as Odoo's own invoice lines take it, and no rule.
        """
        company = terms.company
        # sudo: a price is a number; reading pricelists is not what it needs.
        partner = terms.partner.sudo().with_company(company)
        pricelist = partner.property_product_pricelist.with_company(company)
        if pricelist and product:
            price, rule_id = pricelist._get_product_price_rule(
                product, quantity or 1.0, currency=pricelist.currency_id, uom=uom, date=terms.date
            )
            if rule_id:
                if pricelist.currency_id != terms.currency:
                    price = pricelist.currency_id._convert(
                        price, terms.currency, company, terms.date, round=False
                    )
                if terms.fiscal_position:
                    price = product._get_tax_included_unit_price_from_price(
                        price,
                        product.sudo().taxes_id._filter_taxes_by_company(company),
                        fiscal_position=terms.fiscal_position,
                    )
                return price, self.env["product.pricelist.item"].browse(rule_id)
        no_rule = self.env["product.pricelist.item"]
        if not product:
            return 0.0, no_rule
        # The taxes matter with a fiscal position only: not read without one.
        taxes = self.env["account.tax"]
        if terms.fiscal_position:
            taxes = product.sudo().taxes_id.filtered(lambda tax: tax.company_id == company)
        price = product._get_tax_included_unit_price(
            company,
            terms.currency,
            terms.rate_date,
            "sale",
            product_uom=uom or product.uom_id,
            product_taxes=taxes,
            fiscal_position=terms.fiscal_position,
        )
        return price, no_rule

    def _get_billing_list_amount(self, product, quantity, uom, terms=None, prices=None):
        """Quantity × the case's unit price for ``terms`` (see
        ``_get_billing_price_terms``, the case's own by default), rounded once
        in the terms' currency; taxes aside.

        :param prices: a dict the unit prices are kept in between calls, for
            cases priced alike (a batch of cases)
        """
        self.ensure_one()
        if not product or not quantity:
            return 0.0
        terms = terms or self._get_billing_price_terms()
        key = (terms, product, uom, quantity)
        if prices is None or key not in prices:
            price = self._get_billing_price_unit(product, quantity, uom, terms)[0]
            if prices is None:
                return terms.currency.round(quantity * price)
            prices[key] = price
        return terms.currency.round(quantity * prices[key])

    def _get_billing_lines_amount(self, lines=None, terms=None, prices=None):
        """The case's amount: the sum of the amounts of its lines
        (``_get_billing_lines``, or ``lines``), each rounded once, as the
        invoice lines' subtotals add up; see ``_get_billing_list_amount``."""
        self.ensure_one()
        lines = lines if lines is not None else self._get_billing_lines()
        terms = terms or self._get_billing_price_terms()
        return terms.currency.round(
            sum(
                self._get_billing_list_amount(line.product, line.quantity, line.uom, terms, prices)
                for line in lines
            )
        )

    def _get_billing_invoice_lines(self):
        """The customer invoice and credit note lines that bill or credit the
        case (extended by the ways a case is billed other than as a case)."""
        self.ensure_one()
        return self.invoice_line_ids

    def _get_billing_live_invoices(self):
        """The customer invoices that still bill the case.

        An invoice bills the case while it is not cancelled and its posted
        credit notes (Odoo's Reverse / Credit note) do not credit the case's
        lines in full. A partial credit note leaves the case billed.
        """
        self.ensure_one()
        lines = self.sudo()._get_billing_invoice_lines()
        invoice_lines = lines.filtered(
            lambda line: line.move_type == "out_invoice" and line.parent_state != "cancel"
        )
        credit_lines = lines.filtered(
            lambda line: line.move_type == "out_refund" and line.parent_state == "posted"
        )
        live = self.env["account.move"]
        for move, move_lines in invoice_lines.grouped("move_id").items():
            credited = credit_lines.filtered(
                lambda line, move=move: line.move_id.reversed_entry_id == move
            )
            billed = sum(move_lines.mapped("price_subtotal"))
            if not credited or move.currency_id.compare_amounts(
                sum(credited.mapped("price_subtotal")), billed
            ) < 0:
                live |= move
        return live.with_env(self.env)

    def _check_billed_once(self):
        """A case is billed by one invoice at most over the invoice's life."""
        self.env["account.move.line"].flush_model()
        for ticket in self.sudo():
            live = ticket._get_billing_live_invoices()
            if len(live) > 1:
                raise ValidationError(
                    self.env._(
                        "Case %(case)s cannot be billed twice: it is on %(invoices)s. "
                        "Remove the case from one of them, or credit one of them, first.",
                        case=ticket.number,
                        invoices=", ".join(live.mapped("display_name")),
                    )
                )

    def _get_billing_blockers(self):
        """Return {ticket id: [(reason code, reason), …]} for the cases that
        cannot be billed now; the one definition of the billing rule.

        Reason codes are values of ``billing_block_reason``; extensions add
        their reasons by extending the lists returned by ``super()``. Works on
        the whole recordset with the prefetch: the number of queries does not
        grow with the number of cases.
        """
        _ = self.env._
        result = {}
        for ticket in self:
            reasons = []
            team = ticket._get_billing_team()
            if not team:
                reasons.append(
                    ("billing_off", _("The case has no team, so billing is not enabled for it."))
                )
            elif not team.case_billing_enabled:
                reasons.append(
                    ("billing_off", _("Billing is not enabled for team %(team)s.", team=team.name))
                )
            if ticket.invoice_id:
                reasons.append(
                    (
                        "invoiced",
                        _(
                            "Already invoiced on %(invoice)s.",
                            invoice=ticket.invoice_id.sudo().display_name,
                        ),
                    )
                )
            elif not ticket.billing_status_id:
                reasons.append(("not_billable", _("The case has no financial status.")))
            elif ticket.billing_status_id.kind != "billable":
                reasons.append(
                    (
                        "not_billable",
                        _(
                            "Its financial status %(status)s is not a billable one.",
                            status=ticket.billing_status_id.name,
                        ),
                    )
                )
            if not ticket.stage_id.closed:
                reasons.append(("open", _("The case is not closed.")))
            elif team.case_billing_start_date:
                closed = ticket._get_billing_closed_moment()
                if closed < team._get_case_billing_start_moment():
                    reasons.append(("before_start", ticket._get_billing_before_start_text(team)))
            if not ticket.has_solution:
                reasons.append(("no_solution", _("No solution is written.")))
            if team.case_billing_mode != "fixed" and ticket.billing_duration_hours <= 0:
                if any(line.unit_amount > 0 for line in ticket.timesheet_ids):
                    reasons.append(
                        ("no_time", _("None of the time logged on the case is billable."))
                    )
                else:
                    reasons.append(("no_time", _("No time is spent on the case.")))
            if not ticket.partner_id:
                reasons.append(("no_customer", _("The case has no customer.")))
            if reasons:
                result[ticket.id] = reasons
        return result

    def _get_billing_team(self):
        """The team whose settings bill the case: its own, or the unsaved
        settings of its team's form while the form previews them."""
        self.ensure_one()
        preview = _PREVIEW_TEAM.get()
        if preview is not None and self.team_id and preview._origin == self.team_id:
            return preview
        return self.team_id

    def _get_billing_closed_moment(self):
        """When the case was closed (UTC): its closing date, or its creation
        for a case created closed, which has none."""
        self.ensure_one()
        return self.closed_date or self.create_date or fields.Datetime.now()

    def _get_billing_before_start_text(self, team):
        self.ensure_one()
        tz = team._get_case_billing_timezone()
        closed = pytz.utc.localize(self._get_billing_closed_moment()).astimezone(tz).date()
        return self.env._(
            "Closed on %(closed)s, before team %(team)s bills its cases (cases "
            "closed from %(start)s).",
            closed=format_date(self.env, closed),
            team=team.name,
            start=format_date(self.env, team.case_billing_start_date),
        )

    def _add_billing_blockers(self, blockers, reasons_of):
        """Add to ``blockers`` the reasons ``reasons_of(ticket)`` gives, for
        the extensions of ``_get_billing_blockers``."""
        for ticket in self:
            reasons = reasons_of(ticket)
            if reasons:
                blockers.setdefault(ticket.id, []).extend(reasons)
        return blockers

    def _get_billing_blocker_texts(self, blockers=None):
        """Return {ticket: [reason, …]} for the cases that cannot be billed now.

        :param blockers: the result of ``_get_billing_blockers`` for these
            cases or more, when the caller has it already
        """
        if blockers is None:
            blockers = self._get_billing_blockers()
        return {
            ticket: [text for _code, text in blockers[ticket.id]]
            for ticket in self
            if ticket.id in blockers
        }

    def _get_billing_refusals(self, move, blockers=None):
        """Return {ticket: [reason, …]} for the cases that cannot go on ``move``.

        :param blockers: the result of ``_get_billing_blockers`` for these
            cases or more, when the caller has it already
        """
        _ = self.env._
        texts = self._get_billing_blocker_texts(blockers)
        refusals = {}
        for ticket in self:
            reasons = list(texts.get(ticket, []))
            if ticket.company_id != move.company_id:
                reasons.append(
                    _(
                        "The case belongs to company %(case_company)s, the invoice "
                        "to %(invoice_company)s.",
                        case_company=ticket.company_id.name,
                        invoice_company=move.company_id.name,
                    )
                )
            if ticket.partner_id and ticket.commercial_partner_id != move.commercial_partner_id:
                reasons.append(
                    _(
                        "The case is for %(case_customer)s, not for the invoice's "
                        "customer %(invoice_customer)s.",
                        case_customer=ticket.commercial_partner_id.display_name,
                        invoice_customer=move.commercial_partner_id.display_name,
                    )
                )
            if reasons:
                refusals[ticket] = reasons
        return refusals

    @api.model
    def _format_billing_refusals(self, refusals, header):
        lines = [header]
        for ticket, reasons in refusals.items():
            lines.append(f"{ticket.number} - {ticket.name}:")
            lines.extend(f"    • {reason}" for reason in reasons)
        return "\n".join(lines)

    def _lock_for_billing(self):
        """Lock the cases' rows until the end of the transaction.

        Two users billing the same case at the same moment: the second one
        gets a clear error instead of billing it twice. The lock is the one
        an update takes (no key update): records that only refer to the
        case, such as a billing run's list of cases left out, are not held
        up by it.
        """
        if not self:
            return
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM helpdesk_ticket WHERE id IN %s FOR NO KEY UPDATE NOWAIT",
                        tuple(self.ids),
                    ),
                    log_exceptions=False,
                )
        except LockNotAvailable as error:
            raise UserError(
                self.env._("This case is being billed by another user, try again.")
            ) from error
        # Read the cases again: the checks must see the state behind the lock.
        self.invalidate_recordset()

    def _prepare_case_line_vals(self, move, product, quantity, uom, label, terms, prices):
        """Values of an invoice line of the case on ``move``: ``quantity``
        ``uom`` of ``product``, labelled ``label``.

        Its unit price is given only when a rule of the invoice customer's
        pricelist applies (``_get_billing_price_unit``, kept in ``prices``
        for the lines priced alike); otherwise Odoo's invoice line computes
        the price itself, as on any invoice.
        """
        self.ensure_one()
        key = (product, uom, quantity)
        if key not in prices:
            price, rule = self._get_billing_price_unit(product, quantity, uom, terms)
            prices[key] = {"price_unit": price} if rule else {}
        return {
            "move_id": move.id,
            "display_type": "product",
            "product_id": product.id,
            "product_uom_id": uom.id,
            "quantity": quantity,
            "name": label,
            "helpdesk_ticket_id": self.id,
            **prices[key],
        }

    def _prepare_invoice_line_vals(self, move):
        """Values of the invoice lines billing the cases on ``move``: one per
        case and work type (``_get_billing_lines``).

        A line's unit price is given only when a rule of the invoice
        customer's pricelist applies (``_get_billing_price_unit``); otherwise
        Odoo's invoice line takes the product's sales price itself.
        """
        lang = move.partner_id.lang or self.env.lang
        partner_env = self.with_context(lang=lang).env
        _ = partner_env._
        terms = self._get_billing_price_terms(move)
        prices = {}
        vals_list = []
        for ticket in self:
            for line in ticket._get_billing_lines():
                what = ticket._get_billing_line_label(line, partner_env)
                if ticket.closed_date:
                    closed = fields.Datetime.context_timestamp(ticket, ticket.closed_date).date()
                    label = _(
                        "%(number)s - %(title)s (closed %(date)s) - %(what)s",
                        number=ticket.number,
                        title=ticket.name,
                        date=format_date(partner_env, closed, lang_code=lang),
                        what=what,
                    )
                else:
                    label = _(
                        "%(number)s - %(title)s - %(what)s",
                        number=ticket.number,
                        title=ticket.name,
                        what=what,
                    )
                vals_list.append(
                    ticket._prepare_case_line_vals(
                        move, line.product, line.quantity, line.uom, label, terms, prices
                    )
                )
        return vals_list

    def _check_case_billing_access(self):
        if not bills_cases(self.env):
            raise AccessError(
                self.env._(
                    "Only users of the group “Helpdesk: bill cases” can bill cases "
                    "or change their financial status."
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_create_invoices(self):
        """One draft customer invoice per customer with the selected cases."""
        check_record_ids(self)
        self._check_case_billing_access()
        if not self:
            raise UserError(self.env._("Select the cases to invoice."))
        refusals = self._get_billing_blocker_texts()
        if refusals:
            raise UserError(
                self._format_billing_refusals(
                    refusals,
                    self.env._("No invoice was created. These cases cannot be billed now:"),
                )
            )
        groups = defaultdict(list)
        for ticket in self:
            groups[ticket.company_id, ticket.commercial_partner_id].append(ticket.id)
        by_company = defaultdict(list)
        for company, customer in groups:
            by_company[company].append(customer)
        # The billing right is checked: act with the rights billing needs,
        # which a user without an Invoicing role does not have.
        Move = self.env["account.move"].sudo()
        tickets_by_move = {}
        # All or nothing: an error on one customer leaves no invoice behind.
        with self.env.cr.savepoint():
            for company, customers in by_company.items():
                moves = Move.with_company(company).create(
                    [
                        {
                            "move_type": "out_invoice",
                            "company_id": company.id,
                            "partner_id": customer.address_get(["invoice"])["invoice"],
                            "invoice_user_id": self.env.uid,
                        }
                        for customer in customers
                    ]
                )
                for move, customer in zip(moves, customers, strict=True):
                    tickets_by_move[move] = self.browse(groups[company, customer])
            Move._bill_helpdesk_cases(
                tickets_by_move,
                self.env._("No invoice was created. These cases cannot be billed now:"),
            )
        moves = Move.union(*tickets_by_move).with_env(self.env)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        if len(moves) == 1:
            action.update(
                {
                    "views": [(self.env.ref("account.view_move_form").id, "form")],
                    "view_mode": "form",
                    "res_id": moves.id,
                }
            )
        else:
            action["domain"] = [("id", "in", moves.ids)]
        action["context"] = {"default_move_type": "out_invoice"}
        return action

    # ------------------------------------------------------------------
    # CRUD and locking
    # ------------------------------------------------------------------

    @api.onchange("team_id")
    def _onchange_team_id_billing_status(self):
        # The form shows the default status of the chosen team at once.
        for ticket in self:
            if not ticket.invoice_id:
                ticket.billing_status_id = ticket.team_id._get_case_billing_default_status()

    @api.model_create_multi
    def create(self, vals_list):
        check_server_owned_fields(self.browse(), vals_list)
        if not bills_cases(self.env):
            Team = self.env["helpdesk.ticket.team"]
            for vals in vals_list:
                status_id = vals.get("billing_status_id")
                if not status_id:
                    continue
                team = Team.browse(vals.get("team_id") or self.env.context.get("default_team_id"))
                if status_id != team._get_case_billing_default_status().id:
                    self._check_case_billing_access()
        return super().create(vals_list)

    def write(self, vals):
        check_server_owned_fields(self, [vals])
        self._check_billing_only_write(vals)
        if "billing_status_id" in vals:
            self._check_billing_status_write(vals)
        if "team_id" in vals:
            self._check_invoiced_team_change(vals["team_id"])
        if "partner_id" in vals or "company_id" in vals:
            self._check_invoiced_customer_change(vals)
        if vals.get("stage_id"):
            self._check_invoiced_reopen(vals["stage_id"])
        result = super().write(vals)
        if "team_id" in vals and "billing_status_id" not in vals:
            # A case that is not billed follows the default of its new team.
            for team, tickets in self.filtered(lambda t: not t.invoice_id).grouped(
                "team_id"
            ).items():
                status = team._get_case_billing_default_status()
                tickets.sudo().filtered(lambda t, s=status: t.billing_status_id != s).write(
                    {"billing_status_id": status.id}
                )
        return result

    def _check_billing_only_write(self, vals):
        """The billing right lets a user without a helpdesk role write the
        billing fields of a case, and nothing else of it."""
        if self.env.su or self.env.user.has_group("helpdesk_mgmt.group_helpdesk_user_own"):
            return
        others = set(vals) - self._get_billing_writable_fields()
        if others:
            raise AccessError(
                self.env._(
                    "Without a helpdesk role, the billing right lets you change the "
                    "financial status of a case only, not %(fields)s.",
                    fields=", ".join(sorted(self._fields[f].string for f in others if f in self._fields)),
                )
            )

    @api.model
    def _get_billing_writable_fields(self):
        return {"billing_status_id"}

    def _check_billing_status_write(self, vals):
        status = self.env["helpdesk.ticket.billing.status"].browse(vals["billing_status_id"])
        changed = self.filtered(lambda t: t.billing_status_id != status)
        if not changed:
            return
        if not bills_cases(self.env):
            # Changing the team sets its default status: that is not a choice.
            team_default = (
                "team_id" in vals
                and status
                == self.env["helpdesk.ticket.team"]
                .browse(vals["team_id"])
                ._get_case_billing_default_status()
            )
            if not team_default:
                self._check_case_billing_access()
        invoiced = changed.filtered("invoice_id")
        if invoiced and status.kind != "billed":
            ticket = invoiced[0]
            raise UserError(
                self.env._(
                    "Case %(case)s is invoiced on %(invoice)s: its financial status "
                    "follows the invoice. Cancel the invoice or remove the case's line "
                    "to change it.",
                    case=ticket.number,
                    invoice=ticket.invoice_id.sudo().display_name,
                )
            )

    def _check_invoiced_team_change(self, team_id):
        # helpdesk_mgmt resets the stage of a case whose team changes, which
        # would reopen an invoiced case.
        moved = self.filtered(lambda t: t.invoice_id and t.team_id.id != team_id)
        if moved:
            ticket = moved[0]
            raise UserError(
                self.env._(
                    "Case %(case)s is invoiced on %(invoice)s: its team cannot be "
                    "changed any more.",
                    case=ticket.number,
                    invoice=ticket.invoice_id.sudo().display_name,
                )
            )

    def _check_invoiced_customer_change(self, vals):
        """The invoice was made for the case's customer and company."""
        new_customer = self.env["res.partner"].browse(vals.get("partner_id")).commercial_partner_id
        for ticket in self.sudo().filtered("invoice_id"):
            company_changed = "company_id" in vals and (vals["company_id"] or False) != (
                ticket.company_id.id
            )
            customer_changed = (
                "partner_id" in vals and new_customer != ticket.commercial_partner_id
            )
            if company_changed or customer_changed:
                raise UserError(
                    self.env._(
                        "Case %(case)s is invoiced on %(invoice)s: its customer and "
                        "company cannot be changed any more. Cancel or credit the "
                        "invoice, or remove the case's line from it, first.",
                        case=ticket.number,
                        invoice=ticket.invoice_id.display_name,
                    )
                )

    def _check_invoiced_reopen(self, stage_id):
        stage = self.env["helpdesk.ticket.stage"].browse(stage_id)
        if stage.closed:
            return
        reopened = self.filtered(lambda t: t.invoice_id and t.stage_id != stage)
        if reopened:
            ticket = reopened[0]
            raise UserError(
                self.env._(
                    "Case %(case)s is invoiced on %(invoice)s: it cannot be moved back "
                    "to the open stage %(stage)s. Cancel the invoice or remove the "
                    "case's line first.",
                    case=ticket.number,
                    invoice=ticket.invoice_id.sudo().display_name,
                    stage=stage.name,
                )
            )

    def _check_timesheets_unlocked(self):
        """The time of an invoiced case is what the customer was billed for."""
        locked = self.sudo().filtered("invoice_id")
        if locked:
            ticket = locked[0]
            raise UserError(
                self.env._(
                    "Case %(case)s is invoiced on %(invoice)s: its timesheets cannot "
                    "be created, changed or deleted any more. Cancel the invoice or "
                    "remove the case's line first.",
                    case=ticket.number,
                    invoice=ticket.invoice_id.sudo().display_name,
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced(self):
        # sudo: helpdesk users need not read invoices to delete cases.
        billed = self.sudo().filtered("invoice_line_ids")
        if billed:
            ticket = billed[0]
            raise UserError(
                self.env._(
                    "Case %(case)s is on invoice %(invoice)s: it cannot be deleted.",
                    case=ticket.number,
                    invoice=ticket.sudo().invoice_line_ids[:1].move_id.display_name,
                )
            )

    def _notify_get_reply_to(self, default=None, author_id=False):
        # helpdesk_mgmt 19.0.1.0.0 overrides this without the author_id argument
        # that Odoo 19's mail passes, which breaks every message posted on a
        # ticket; pass it on only where the parent accepts it.
        parent = super()._notify_get_reply_to
        if "author_id" in inspect.signature(parent).parameters:
            return parent(default=default, author_id=author_id)
        return parent(default=default)

    def _message_get_suggested_recipients(
        self,
        reply_discussion=False,
        reply_message=None,
        no_create=True,
        primary_email=False,
        additional_partners=None,
    ):
        # helpdesk_mgmt 19.0.1.0.0 overrides this with the pre-19 signature and
        # calls a helper Odoo 19 removed, which breaks the chatter of every
        # ticket with a customer. Skip that override where it is outdated: Odoo
        # 19's mail suggests the ticket's partner_id by itself.
        kwargs = {
            "reply_discussion": reply_discussion,
            "reply_message": reply_message,
            "no_create": no_create,
            "primary_email": primary_email,
            "additional_partners": additional_partners,
        }
        name = "_message_get_suggested_recipients"
        mro = type(self).__mro__
        for klass in mro[mro.index(HelpdeskTicket) + 1 :]:
            method = vars(klass).get(name)
            if method and "reply_discussion" in inspect.signature(method).parameters:
                return method(self, **kwargs)
        return super()._message_get_suggested_recipients(**kwargs)
