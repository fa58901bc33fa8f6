# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_date

from .helpdesk_ticket import check_server_owned_fields, previewing_team

MIN_UNIT_MINUTES = 1
MAX_UNIT_MINUTES = 1440


def _is_whole_number(value):
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    case_billing_enabled = fields.Boolean(
        tracking=True,
        string="Bill cases",
        help="The closed cases of this team can be billed on customer invoices.",
    )
    case_billing_product_id = fields.Many2one(
        tracking=True,
        comodel_name="product.product",
        string="Billing product",
        default=lambda self: self._default_case_billing_product(),
        domain="[('type', '=', 'service'), "
        "('company_id', 'in', [False, company_id or allowed_company_ids[0]])]",
        help="Service product of the invoice lines; its sales price is the "
        "price of one hour (time mode) or of one case (flat rate).",
    )
    case_billing_unit_minutes = fields.Integer(
        tracking=True,
        string="Billing unit (minutes)",
        default=15,
        help="Time spent on a case is rounded up to whole units of this many "
        "minutes (1 to 1440).",
    )
    case_billing_minimum_minutes = fields.Integer(
        tracking=True,
        string="Minimum charge (minutes)",
        default=0,
        help="A case with billable time is billed at least this much time, "
        "rounded up to whole billing units; 0 for no minimum.",
    )
    case_billing_rounding = fields.Selection(
        tracking=True,
        selection=[
            ("case", "Case total"),
            ("line", "Each time line"),
        ],
        string="Round up",
        default="case",
        help="Case total: the case's billable time is rounded up to whole billing "
        "units once. Each time line: every billable time line is rounded up to "
        "whole units, and the case bills their sum.",
    )
    case_billing_uom_id = fields.Many2one(
        comodel_name="uom.uom",
        string="Billing unit",
        compute="_compute_case_billing_uom_id",
        store=True,
        help="Unit of time of the case lines: their quantity is a whole number "
        "of billing units, their price the hourly price scaled to one unit.",
    )
    case_billing_mode = fields.Selection(
        tracking=True,
        selection=[
            ("time", "Time spent, by billing unit"),
            ("fixed", "Flat rate per case"),
        ],
        string="Billing mode",
        default="time",
    )
    case_billing_default_status_id = fields.Many2one(
        tracking=True,
        comodel_name="helpdesk.ticket.billing.status",
        string="Default financial status",
        default=lambda self: self.env.ref(
            "helpdesk_case_billing.billing_status_billable", raise_if_not_found=False
        ),
        domain="[('kind', '!=', 'billed'), "
        "('company_id', 'in', [False, company_id or allowed_company_ids[0]])]",
        help="Financial status of the team's new cases; cases whose invoice is "
        "cancelled also go back to it when it is a billable one.",
    )
    case_billing_invoiced_status_id = fields.Many2one(
        tracking=True,
        comodel_name="helpdesk.ticket.billing.status",
        string="Invoiced financial status",
        default=lambda self: self.env.ref(
            "helpdesk_case_billing.billing_status_invoiced", raise_if_not_found=False
        ),
        domain="[('kind', '=', 'billed'), "
        "('company_id', 'in', [False, company_id or allowed_company_ids[0]])]",
        help="Financial status given to the team's cases once they are on an invoice.",
    )
    case_billing_timesheet_billable_default = fields.Boolean(
        tracking=True,
        string="Time is billable by default",
        default=True,
        help="Whether the time logged on the team's cases is marked billable when "
        "it is logged; time marked not billable is never billed.",
    )
    case_billing_start_date = fields.Date(
        tracking=True,
        string="Bill cases closed from",
        help="Cases closed before this day (in the time zone of the team's "
        "company) are never billed, so that switching billing on does not bill "
        "old cases; empty to bill every closed case.",
    )
    case_billing_preview_notice = fields.Text(
        string="What saving changes",
        compute="_compute_case_billing_preview",
        help="On the form, what saving the changed settings does to the team's "
        "closed cases.",
    )
    # The name helpdesk_mgmt_project gives it: both modules can be installed.
    default_project_id = fields.Many2one(
        comodel_name="project.project",
        string="Project",
        company_dependent=True,
        help="Project the time logged on the team's new cases goes to.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        check_server_owned_fields(self.browse(), vals_list)
        self._check_case_billing_unit_value(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_server_owned_fields(self, [vals])
        self._check_case_billing_unit_value([vals])
        return super().write(vals)

    @api.model
    def _check_case_billing_unit_value(self, vals_list):
        # The ORM would store 2.5 as 2 without a word.
        for vals in vals_list:
            value = vals.get("case_billing_unit_minutes")
            if value is not None and not _is_whole_number(value):
                raise ValidationError(
                    self.env._(
                        "The billing unit is a whole number of minutes, from %(min)s to "
                        "%(max)s, not %(value)s.",
                        min=MIN_UNIT_MINUTES,
                        max=MAX_UNIT_MINUTES,
                        value=value,
                    )
                )
            minimum = vals.get("case_billing_minimum_minutes")
            if minimum not in (None, False) and not _is_whole_number(minimum):
                raise ValidationError(
                    self.env._(
                        "The minimum charge is a whole number of minutes, 0 for none, "
                        "not %(value)s.",
                        value=minimum,
                    )
                )

    @api.depends("case_billing_unit_minutes")
    def _compute_case_billing_uom_id(self):
        Uom = self.env["uom.uom"]
        for team in self:
            minutes = team.case_billing_unit_minutes
            valid = MIN_UNIT_MINUTES <= minutes <= MAX_UNIT_MINUTES
            team.case_billing_uom_id = Uom._get_case_billing_unit(minutes) if valid else False

    def _get_case_billing_timezone(self):
        """The time zone of the team's dates: its company's, else UTC."""
        self.ensure_one()
        name = self.company_id.partner_id.tz
        return pytz.timezone(name) if name in pytz.all_timezones_set else pytz.utc

    def _get_case_billing_start_moment(self):
        """The first moment billed, as Odoo stores moments (naive UTC): the
        start of *Bill cases closed from* in the team's time zone; None when
        every closed case is billed."""
        self.ensure_one()
        if not self.case_billing_start_date:
            return None
        midnight = datetime.combine(self.case_billing_start_date, time.min)
        local = self._get_case_billing_timezone().localize(midnight)
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    @api.depends("case_billing_enabled", "case_billing_mode", "case_billing_start_date")
    def _compute_case_billing_preview(self):
        # Extensions whose team settings change what is billable add them with
        # @api.depends on an override calling super().
        for team in self:
            gained, lost, lost_codes = team._get_case_billing_preview()
            team.case_billing_preview_notice = team._get_case_billing_preview_notice(
                gained, lost, lost_codes
            )

    def _get_case_billing_preview(self):
        """On a team form, what saving its settings does to the team's closed
        cases not invoiced: (the cases that become billable, the cases that
        stop being billable, the reason codes of the latter); nothing when no
        setting of the rule changed.

        The billing rule itself (``_get_billing_blockers``) decides, once with
        the saved settings and once with those of the form.
        """
        self.ensure_one()
        Ticket = self.env["helpdesk.ticket"]
        nothing = (Ticket, Ticket, [])
        origin = self._origin
        if isinstance(self.id, int) or not origin:
            return nothing
        names = self._fields["case_billing_preview_notice"].get_depends(self)[0]
        if all(self[name] == origin[name] for name in names):
            return nothing
        # sudo: the counts are of all the team's cases, whoever configures it.
        cases = Ticket.sudo().search(
            [
                ("team_id", "=", origin.id),
                ("stage_id.closed", "=", True),
                ("invoice_id", "=", False),
            ]
        )
        if not cases:
            return nothing
        # Stored values are computed now, not while the rule reads the form.
        cases.flush_recordset()
        before = cases._get_billing_blockers()
        with previewing_team(self):
            after = cases._get_billing_blockers()
        gained = cases.filtered(lambda c: c.id in before and c.id not in after)
        lost = cases.filtered(lambda c: c.id not in before and c.id in after)
        codes = [code for code, _label in Ticket._fields["billing_block_reason"].selection]
        lost_codes = sorted(
            {code for case in lost for code, _text in after[case.id]},
            key=lambda code: codes.index(code) if code in codes else len(codes),
        )
        return gained.with_env(self.env), lost.with_env(self.env), lost_codes

    def _get_case_billing_preview_notice(self, gained, lost, lost_codes):
        """The sentences the team form shows about ``gained`` and ``lost``."""
        self.ensure_one()
        _ = self.env._
        sentences = []
        if gained:
            tz = self._get_case_billing_timezone()
            days = sorted(
                pytz.utc.localize(case._get_billing_closed_moment()).astimezone(tz).date()
                for case in gained.sudo()
            )
            first, last = (format_date(self.env, day) for day in (days[0], days[-1]))
            if len(gained) == 1:
                sentences.append(
                    _(
                        "Saving makes 1 closed case of this team billable, closed on "
                        "%(first)s.",
                        first=first,
                    )
                )
            else:
                sentences.append(
                    _(
                        "Saving makes %(count)s closed cases of this team billable, "
                        "closed from %(first)s to %(last)s.",
                        count=len(gained),
                        first=first,
                        last=last,
                    )
                )
            sentences.append(
                _(
                    "To leave older cases unbilled, set %(field)s: cases closed before "
                    "that day are never billed.",
                    field=self._fields["case_billing_start_date"]._description_string(
                        self.env
                    ),
                )
            )
        if lost:
            labels = dict(
                self.env["helpdesk.ticket"]._fields["billing_block_reason"]._description_selection(
                    self.env
                )
            )
            reasons = ", ".join(labels.get(code, code) for code in lost_codes)
            if len(lost) == 1:
                sentences.append(
                    _(
                        "Saving makes 1 case of this team that is billable now not "
                        "billable (%(reasons)s).",
                        reasons=reasons,
                    )
                )
            else:
                sentences.append(
                    _(
                        "Saving makes %(count)s cases of this team that are billable now "
                        "not billable (%(reasons)s).",
                        count=len(lost),
                        reasons=reasons,
                    )
                )
        return "\n".join(sentences) or False

    @api.model
    def _default_case_billing_product(self):
        return self.env.ref(
            "helpdesk_case_billing.product_helpdesk_work_hour", raise_if_not_found=False
        )

    @api.constrains("case_billing_unit_minutes")
    def _check_case_billing_unit_minutes(self):
        for team in self:
            minutes = team.case_billing_unit_minutes
            if not MIN_UNIT_MINUTES <= minutes <= MAX_UNIT_MINUTES:
                raise ValidationError(
                    self.env._(
                        "The billing unit of team %(team)s must be between "
                        "%(min)s and %(max)s minutes (one day), not %(value)s.",
                        team=team.name,
                        min=MIN_UNIT_MINUTES,
                        max=MAX_UNIT_MINUTES,
                        value=minutes,
                    )
                )

    @api.constrains("case_billing_minimum_minutes")
    def _check_case_billing_minimum_minutes(self):
        for team in self:
            minimum = team.case_billing_minimum_minutes
            if minimum < 0:
                raise ValidationError(
                    self.env._(
                        "The minimum charge of team %(team)s must be 0 minutes or more "
                        "(0 for none), not %(value)s minutes.",
                        team=team.name,
                        value=minimum,
                    )
                )

    def _get_case_billing_product_fault(self, product):
        """What makes ``product`` unfit to bill the team's cases: "service"
        when it is not a service, "time" when the team bills the time spent
        and the product's unit is not a unit of time (time is converted into
        it); None when it fits."""
        self.ensure_one()
        if product.type != "service":
            return "service"
        if (self.case_billing_mode or "time") == "time" and not product.uom_id._is_time_unit():
            return "time"
        return None

    def _get_case_billing_product_error(self, product):
        """Why ``product`` cannot bill the team's cases, as a sentence; None
        when it fits."""
        self.ensure_one()
        fault = self._get_case_billing_product_fault(product)
        _ = self.env._
        # A team being created may have no name yet: no "team this team".
        if fault == "service":
            if not self.name:
                return _("The billing product of this team must be a service.")
            return _("The billing product of team %(team)s must be a service.", team=self.name)
        if fault == "time":
            if not self.name:
                return _(
                    "This team bills the time spent: the unit of its billing product "
                    "%(product)s must be a unit of time such as Hours, not %(uom)s.",
                    product=product.display_name,
                    uom=product.uom_id.name,
                )
            return _(
                "Team %(team)s bills the time spent: the unit of its billing "
                "product %(product)s must be a unit of time such as Hours, "
                "not %(uom)s.",
                team=self.name,
                product=product.display_name,
                uom=product.uom_id.name,
            )
        return None

    @api.constrains("case_billing_enabled", "case_billing_product_id", "case_billing_mode")
    def _check_case_billing_product(self):
        for team in self:
            product = team.case_billing_product_id
            if team.case_billing_enabled and not product:
                raise ValidationError(
                    self.env._(
                        "Team %(team)s bills its cases: choose its billing product.",
                        team=team.name,
                    )
                )
            error = product and team._get_case_billing_product_error(product)
            if error:
                raise ValidationError(error)

    @api.onchange("case_billing_product_id", "case_billing_mode")
    def _onchange_case_billing_product_id(self):
        # Said when the product is chosen, not only when the team is saved.
        product = self.case_billing_product_id
        error = product and self._get_case_billing_product_error(product)
        if error:
            return {"warning": {"title": self.env._("Billing product"), "message": error}}
        return None

    @api.constrains("case_billing_default_status_id", "case_billing_invoiced_status_id")
    def _check_case_billing_statuses(self):
        for team in self:
            if team.case_billing_default_status_id.kind == "billed":
                raise ValidationError(
                    self.env._(
                        "The default financial status of team %(team)s cannot be a "
                        "billed one.",
                        team=team.name,
                    )
                )
            invoiced = team.case_billing_invoiced_status_id
            if invoiced and invoiced.kind != "billed":
                raise ValidationError(
                    self.env._(
                        "The invoiced financial status of team %(team)s must be a "
                        "billed one.",
                        team=team.name,
                    )
                )

    @api.model
    def _case_billing_fill_defaults(self):
        """Give the teams that existed before the install the default settings.

        The defaults of the new columns cannot point to records of this module's
        data files, which are loaded after the columns are created.
        """
        teams = self.with_context(active_test=False).search([])
        defaults = {
            "case_billing_product_id": self._default_case_billing_product(),
            "case_billing_default_status_id": self.env.ref(
                "helpdesk_case_billing.billing_status_billable"
            ),
            "case_billing_invoiced_status_id": self.env.ref(
                "helpdesk_case_billing.billing_status_invoiced"
            ),
        }
        for fname, record in defaults.items():
            empty = teams.filtered(lambda t, fname=fname: not t[fname])
            if empty and record:
                empty.write({fname: record.id})
        # Cases that existed before the install got no status either: their
        # computed status ran before the statuses were loaded.
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .with_context(active_test=False, mail_notrack=True, tracking_disable=True)
            .search([("billing_status_id", "=", False)])
        )
        for team, team_tickets in tickets.grouped("team_id").items():
            team_tickets.write({"billing_status_id": team._get_case_billing_default_status().id})

    def _case_billing_seeded_status(self, name):
        # While the addon installs on a database with cases, their statuses are
        # computed before the data files load: no status then, filled after.
        return self.env.ref(
            f"helpdesk_case_billing.{name}", raise_if_not_found=False
        ) or self.env["helpdesk.ticket.billing.status"]

    def _get_case_billing_default_status(self):
        """Status of a new case of the team (any kind but billed)."""
        return self.case_billing_default_status_id or self._case_billing_seeded_status(
            "billing_status_billable"
        )

    def _get_case_billing_unbilled_status(self):
        """Status of a case whose invoice is gone: billable again."""
        status = self.case_billing_default_status_id
        if status.kind == "billable":
            return status
        return self._case_billing_seeded_status("billing_status_billable")

    def _get_case_billing_invoiced_status(self):
        return self.case_billing_invoiced_status_id or self._case_billing_seeded_status(
            "billing_status_invoiced"
        )
