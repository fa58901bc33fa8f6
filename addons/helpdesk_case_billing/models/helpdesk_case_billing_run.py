# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz
from psycopg2.errors import SerializationFailure

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .helpdesk_ticket import BILLING_GROUP, bills_cases, check_record_ids

_logger = logging.getLogger(__name__)

# What a user chooses on a run; everything else is written by the run itself.
USER_FIELDS = frozenset(
    {
        "company_id",
        "team_ids",
        "partner_ids",
        "closed_until",
        "invoice_date",
        "invoice_state",
        "grouping",
        "send_invoices",
    }
)


class _PreviewOnly(Exception):
    """Raised to roll back the invoice the preview built to read its amounts."""


class HelpdeskCaseBillingRun(models.Model):
    """Bill many customers' closed cases in the background.

    A run selects cases (company, teams, customers, closed until a date),
    previews the invoices they make, one per customer (or per customer and
    team), each built by Odoo's own invoice computation and rolled back, then
    makes them one customer at a time in the scheduled action
    ``_cron_process_billing_runs``, each customer committed on its own: a
    restart resumes at the first customer not done, and a customer's cases
    billed meanwhile are left out with their reason, never billed twice.
    """

    _name = "helpdesk.case.billing.run"
    _description = "Helpdesk billing run"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", readonly=True, default="/", copy=False)
    user_id = fields.Many2one(
        "res.users",
        string="Started by",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    company_id = fields.Many2one(
        "res.company", string="Company", required=True, default=lambda self: self.env.company
    )
    team_ids = fields.Many2many(
        "helpdesk.ticket.team",
        string="Teams",
        check_company=True,
        domain="[('case_billing_enabled', '=', True)]",
        help="Leave empty to bill the cases of every team that bills its cases.",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        help="Leave empty to bill every customer.",
    )
    closed_until = fields.Date(
        string="Closed until",
        required=True,
        default=fields.Date.context_today,
        help="Bill the cases closed on this day or before.",
    )
    invoice_date = fields.Date(
        string="Invoice date", help="Leave empty to date the invoices when they are posted."
    )
    invoice_state = fields.Selection(
        [("draft", "Draft invoices"), ("posted", "Posted invoices")],
        string="Make",
        default="draft",
        required=True,
    )
    send_invoices = fields.Boolean(
        string="Send by e-mail",
        help="Posted invoices are sent to their customers by Odoo's standard sending, "
        "in the background.",
    )
    grouping = fields.Selection(
        [("customer", "One invoice per customer"), ("customer_team", "One invoice per customer and team")],
        string="Grouping",
        default="customer",
        required=True,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("previewing", "Previewing"),
            ("previewed", "Previewed"),
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
            ("cancelled", "Cancelled"),
        ],
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    line_ids = fields.One2many(
        "helpdesk.case.billing.run.line", "run_id", string="Invoices to make", readonly=True, copy=False
    )
    case_ids = fields.One2many(
        "helpdesk.case.billing.run.case", "run_id", string="Cases to bill", readonly=True
    )
    skip_ids = fields.One2many(
        "helpdesk.case.billing.run.skip", "run_id", string="Cases left out", readonly=True, copy=False
    )
    invoice_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        compute="_compute_invoice_ids",
        groups=BILLING_GROUP,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    customer_count = fields.Integer(string="Number of customers", readonly=True, copy=False)
    case_count = fields.Integer(string="Cases", readonly=True, copy=False)
    skip_count = fields.Integer(string="Number of cases left out", compute="_compute_skip_count")
    invoice_count = fields.Integer(string="Invoices made", compute="_compute_counts")
    amount_untaxed = fields.Monetary(
        string="Untaxed amount",
        readonly=True,
        copy=False,
        groups=BILLING_GROUP,
        help="In the company's currency: what the preview found, then what the invoices made bill.",
    )
    # Counted from the run's lines, never written on the run while it goes
    # on: the chunks of two workers would both write its row, and one of them
    # fail to serialize.
    cases_previewed = fields.Integer(string="Cases previewed", compute="_compute_counts")
    cases_done = fields.Integer(string="Cases processed", compute="_compute_counts")
    failed_count = fields.Integer(string="Failed customers", compute="_compute_counts")
    date_start = fields.Datetime(string="Started on", readonly=True, copy=False)
    date_end = fields.Datetime(string="Ended on", readonly=True, copy=False)
    progress = fields.Float(string="Progress", compute="_compute_progress")
    elapsed = fields.Char(string="Elapsed", compute="_compute_progress")
    time_left = fields.Char(string="Time left (estimate)", compute="_compute_progress")

    @api.depends("skip_ids")
    def _compute_skip_count(self):
        for run in self:
            run.skip_count = len(run.skip_ids)

    @api.depends(
        "line_ids.state", "line_ids.preview_done", "line_ids.case_count", "line_ids.invoice_id"
    )
    def _compute_counts(self):
        for run in self:
            lines = run.sudo().line_ids
            run.cases_previewed = sum(lines.filtered("preview_done").mapped("case_count"))
            run.cases_done = sum(
                lines.filtered(lambda line: line.state != "pending").mapped("case_count")
            )
            run.failed_count = len(lines.filtered(lambda line: line.state == "failed"))
            run.invoice_count = len(lines.invoice_id)

    @api.depends("line_ids.invoice_id")
    def _compute_invoice_ids(self):
        for run in self:
            run.invoice_ids = run.sudo().line_ids.invoice_id.with_env(self.env)

    @staticmethod
    def _format_duration(seconds):
        seconds = max(int(round(seconds)), 0)
        return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"

    @api.depends("cases_done", "cases_previewed", "case_count", "date_start", "date_end", "state")
    def _compute_progress(self):
        now = fields.Datetime.now()
        for run in self:
            done = run.cases_previewed if run.state == "previewing" else run.cases_done
            run.progress = 100.0 * done / run.case_count if run.case_count else 0.0
            run.elapsed = run.time_left = False
            if not run.date_start:
                continue
            spent = ((run.date_end or now) - run.date_start).total_seconds()
            run.elapsed = self._format_duration(spent)
            if run.state == "running" and run.cases_done:
                left = spent / run.cases_done * (run.case_count - run.cases_done)
                run.time_left = self._format_duration(left)

    # ------------------------------------------------------------------
    # CRUD: a client chooses the selection and options, nothing else
    # ------------------------------------------------------------------

    def _check_user_fields(self, vals_list):
        if self.env.su:
            return
        for vals in vals_list:
            owned = sorted(set(vals) - USER_FIELDS)
            if owned:
                raise AccessError(
                    self.env._(
                        "%(fields)s of a billing run are written by the run itself.",
                        fields=", ".join(self._fields[f].string if f in self._fields else f for f in owned),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_user_fields(vals_list)
        if not self.env.su:
            self.env["helpdesk.ticket"]._check_case_billing_access()
        sequence = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            vals["name"] = sequence.next_by_code("helpdesk.case.billing.run") or "/"
        return super().create(vals_list)

    def write(self, vals):
        self._check_user_fields([vals])
        if self.env.su:
            return super().write(vals)
        check_record_ids(self)
        self.env["helpdesk.ticket"]._check_case_billing_access()
        started = self.filtered(lambda run: run.state not in ("draft", "previewed"))
        if started:
            raise UserError(
                self.env._(
                    "The billing run %(run)s has started: its selection and options can no "
                    "longer change.",
                    run=started[0].name,
                )
            )
        previewed = self.filtered(lambda run: run.state == "previewed")
        result = super().write(vals)
        # The preview no longer shows what the run would bill.
        previewed.sudo()._clear_preview()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        for run in self:
            if run.state == "running" or run.sudo().invoice_ids:
                raise UserError(
                    self.env._(
                        "The billing run %(run)s is running or has made invoices: cancel it "
                        "instead of deleting it.",
                        run=run.name,
                    )
                )

    # ------------------------------------------------------------------
    # Selection and preview
    # ------------------------------------------------------------------

    def _get_case_domain(self):
        """The cases of the run's selection: closed, not invoiced, of its
        company, teams and customers, closed until its date included (in the
        user's time zone)."""
        self.ensure_one()
        tz = pytz.timezone(self.user_id.tz or self.env.user.tz or "UTC")
        day_after = datetime.combine(self.closed_until + timedelta(days=1), time.min)
        until = tz.localize(day_after).astimezone(pytz.utc).replace(tzinfo=None)
        domain = [
            ("company_id", "=", self.company_id.id),
            ("team_id.case_billing_enabled", "=", True),
            ("stage_id.closed", "=", True),
            ("closed_date", "<", until),
            ("invoice_id", "=", False),
        ]
        if self.team_ids:
            domain.append(("team_id", "in", self.team_ids.ids))
        if self.partner_ids:
            domain.append(("commercial_partner_id", "in", self.partner_ids.commercial_partner_id.ids))
        return domain

    def _group_key(self, ticket):
        return ticket.commercial_partner_id, (
            ticket.team_id if self.grouping == "customer_team" else self.env["helpdesk.ticket.team"]
        )

    def _clear_preview(self):
        self.line_ids.unlink()
        self.skip_ids.unlink()
        self.write(
            {
                "state": "draft",
                "customer_count": 0,
                "case_count": 0,
                "amount_untaxed": 0.0,
            }
        )

    def _user_env_run(self):
        """The run in the environment of its user and company: the cases the
        run sees and bills are those its user may bill."""
        self.ensure_one()
        return self.with_user(self.user_id).with_context(
            allowed_company_ids=self.company_id.ids
        ).with_company(self.company_id)

    def _make_invoices(self, pairs):
        """Create the draft invoices billing each ``(customer, tickets)`` of
        ``pairs``, in one batch, through the core's billing of cases, as
        Create invoices does."""
        self.ensure_one()
        company = self.company_id
        vals_list = []
        for customer, _tickets in pairs:
            vals = {
                "move_type": "out_invoice",
                "company_id": company.id,
                "partner_id": customer.address_get(["invoice"])["invoice"],
                "invoice_user_id": self.user_id.id,
            }
            if self.invoice_date:
                vals["invoice_date"] = self.invoice_date
            vals_list.append(vals)
        # The billing right is checked: act with the rights billing needs.
        Move = self.env["account.move"].sudo().with_company(company)
        moves = Move.create(vals_list)
        Move._bill_helpdesk_cases(
            dict(zip(moves, (tickets for _customer, tickets in pairs), strict=True)),
            self.env._("No invoice was created. These cases cannot be billed now:"),
        )
        return moves

    def action_preview(self):
        """List, per invoice to make, the cases, their billing units and the
        amounts the invoice will show, and the cases left out and why.

        The amounts are those of each invoice built and rolled back: for more
        invoices than a web request should build, the scheduled action builds
        them in the background, ``_chunk_customers`` customers per committed
        chunk."""
        check_record_ids(self)
        self.env["helpdesk.ticket"]._check_case_billing_access()
        for run in self:
            if run.state not in ("draft", "previewed"):
                raise UserError(
                    self.env._("The billing run %(run)s has started already.", run=run.name)
                )
            run.sudo()._clear_preview()
            run._user_env_run()._build_preview()
            if len(run.line_ids) > self._preview_inline_limit:
                run.sudo().write({"state": "previewing", "date_start": fields.Datetime.now()})
                self._trigger_processing()
            else:
                run._preview_lines(run.line_ids)
                run._finish_preview()
        return True

    def _build_preview(self):
        """The run's lines, cases and cases left out, without amounts."""
        self.ensure_one()
        Ticket = self.env["helpdesk.ticket"]
        tickets = Ticket.search(self._get_case_domain(), order="id")
        blockers = tickets._get_billing_blockers()
        skips = []
        groups = defaultdict(lambda: Ticket)
        for ticket in tickets:
            if ticket.id in blockers:
                skips.append(
                    {
                        "run_id": self.id,
                        "ticket_id": ticket.id,
                        "reason": "\n".join(text for _code, text in blockers[ticket.id]),
                    }
                )
            else:
                groups[self._group_key(ticket)] |= ticket
        lines = []
        cases = []
        ordered = sorted(groups.items(), key=lambda item: (item[0][0].name or "", item[0][1].name or ""))
        for sequence, ((customer, team), group) in enumerate(ordered):
            summary = []
            hours = 0.0
            group_cases = []
            for ticket in group:
                units = ticket._get_billing_line_quantity()[0]
                billed, label = ticket._get_billed_time(units)
                hours += billed
                summary.append(f"{ticket.number} - {ticket.name}: {label}")
                group_cases.append(
                    {
                        "ticket_id": ticket.id,
                        "spent_hours": ticket.billing_duration_hours,
                        "billed_hours": billed,
                        "unit_label": label,
                    }
                )
            line = {
                "run_id": self.id,
                "sequence": sequence,
                "partner_id": customer.id,
                "team_id": team.id,
                "ticket_ids": [fields.Command.set(group.ids)],
                "case_count": len(group),
                "billed_hours": hours,
                "case_summary": "\n".join(summary),
            }
            lines.append(line)
            cases.append(group_cases)
        created = self.env["helpdesk.case.billing.run.line"].sudo().create(lines)
        self.env["helpdesk.case.billing.run.case"].sudo().create(
            [
                {**case, "run_line_id": line.id}
                for line, group_cases in zip(created, cases, strict=True)
                for case in group_cases
            ]
        )
        self.env["helpdesk.case.billing.run.skip"].sudo().create(skips)
        self.sudo().write(
            {
                "customer_count": len({customer for customer, _team in groups}),
                "case_count": sum(len(group) for group in groups.values()),
            }
        )

    def _preview_lines(self, lines):
        """Write the amounts of the invoice of each of ``lines`` and of each
        of their cases."""
        self.ensure_one()
        run = self._user_env_run()
        pairs = [(line.partner_id, line.sudo().ticket_ids.with_env(run.env)) for line in lines]
        for line, amounts in zip(lines.sudo(), run._preview_amounts(pairs), strict=True):
            case_amounts = amounts.pop("case_amounts", {})
            line.write({**amounts, "preview_done": True})
            for case in line.case_ids:
                case.amount_untaxed = case_amounts.get(case.ticket_id.id, 0.0)

    def _finish_preview(self):
        run = self.sudo()
        run.write(
            {
                "state": "previewed",
                "date_start": False,
                "amount_untaxed": run.company_id.currency_id.round(
                    sum(run.line_ids.mapped("amount_company"))
                ),
            }
        )

    def _preview_amounts(self, pairs):
        """The amounts of the invoices the run will make for each
        ``(customer, tickets)`` of ``pairs``: the invoices are built by the
        same code as the run's, read, and rolled back. When one fails, each
        is built alone, and the failing ones give their error."""
        try:
            with self.env.cr.savepoint():
                moves = self._make_invoices(pairs)
                result = []
                for move in moves:
                    case_amounts = defaultdict(float)
                    for invoice_line in move.invoice_line_ids:
                        case_amounts[invoice_line.helpdesk_ticket_id.id] += invoice_line.price_subtotal
                    result.append(
                        {
                            "currency_id": move.currency_id.id,
                            "amount_untaxed": move.amount_untaxed,
                            "amount_tax": move.amount_tax,
                            "amount_total": move.amount_total,
                            "amount_company": abs(move.amount_untaxed_signed),
                            "case_amounts": case_amounts,
                            "error": False,
                        }
                    )
                raise _PreviewOnly
        except _PreviewOnly:
            return result
        except Exception as error:  # noqa: BLE001 - shown to the user, retried by the run
            if len(pairs) > 1:
                return [amounts for pair in pairs for amounts in self._preview_amounts([pair])]
            if not isinstance(error, UserError):
                _logger.exception("Billing run %s: preview of %s failed", self.name, pairs[0][0].display_name)
            return [{"error": str(error)}]

    # ------------------------------------------------------------------
    # Start, cancel, retry
    # ------------------------------------------------------------------

    # Invoices a preview builds in the web request; above, in the background.
    _preview_inline_limit = 50
    # Customers billed (or previewed) by one committed chunk of the cron.
    _chunk_customers = 20

    # The scheduled actions that process runs side by side, each in a cron
    # thread of its own when Odoo has that many (two by default).
    _processing_crons = (
        "helpdesk_case_billing.ir_cron_process_billing_runs",
        "helpdesk_case_billing.ir_cron_process_billing_runs_2",
    )

    def _trigger_processing(self):
        for xmlid in self._processing_crons:
            cron = self.env.ref(xmlid, raise_if_not_found=False)
            if cron:
                cron.sudo()._trigger()

    def action_start(self):
        """Start billing in the background, from the preview."""
        check_record_ids(self)
        self.env["helpdesk.ticket"]._check_case_billing_access()
        _ = self.env._
        for run in self:
            if run.state != "previewed":
                raise UserError(_("Preview the billing run %(run)s before starting it.", run=run.name))
            if not run.line_ids:
                raise UserError(_("The billing run %(run)s has no case to bill.", run=run.name))
            if run.invoice_state == "posted" and not self.env.user.has_group(
                "account.group_account_invoice"
            ):
                raise UserError(
                    _(
                        "Posting invoices needs the Invoicing rights; choose draft invoices "
                        "or ask an accountant to start the run."
                    )
                )
            if run.invoice_state == "posted" and run.send_invoices:
                cron = self.env.ref("account.ir_cron_account_move_send").sudo()
                if not cron.active:
                    raise UserError(
                        _(
                            "Invoices cannot be sent in the background: the scheduled action "
                            "“%(action)s” is not active. Ask an administrator to activate it, "
                            "or start the run without sending.",
                            action=cron.name,
                        )
                    )
        self.sudo().write(
            {
                "state": "running",
                "user_id": self.env.user.id,
                "date_start": fields.Datetime.now(),
                "date_end": False,
            }
        )
        self._trigger_processing()
        return True

    def action_cancel(self):
        """Stop the run: the customers not billed yet are left as they are."""
        check_record_ids(self)
        self.env["helpdesk.ticket"]._check_case_billing_access()
        for run in self:
            if run.state not in ("draft", "previewing", "previewed", "running"):
                raise UserError(self.env._("The billing run %(run)s has ended.", run=run.name))
        self.sudo().write({"state": "cancelled", "date_end": fields.Datetime.now()})
        return True

    def action_retry_failed(self):
        """Run again the customers whose invoice failed."""
        check_record_ids(self)
        self.env["helpdesk.ticket"]._check_case_billing_access()
        for run in self:
            if run.state != "failed":
                raise UserError(
                    self.env._("The billing run %(run)s has no failed customer.", run=run.name)
                )
        for run in self:
            failed = run.line_ids.filtered(lambda line: line.state == "failed")
            run.sudo().write({"state": "running", "user_id": self.env.user.id, "date_end": False})
            failed.sudo().write({"state": "pending", "error": False})
        self._trigger_processing()
        return True

    def action_open_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action["domain"] = [("id", "in", self.invoice_ids.ids)]
        action["context"] = {"default_move_type": "out_invoice"}
        return action

    # ------------------------------------------------------------------
    # The background processing
    # ------------------------------------------------------------------

    @api.model
    def _cron_process_billing_runs(self):
        """Build the previews being built in the background, then make the
        invoices of the running runs, ``_chunk_customers`` customers per chunk.

        A chunk's invoices are made and recorded in one transaction,
        committed with the cron's progress: a process killed mid-way loses
        at most the chunk it was on, which stays to do and is made again
        from the start by the next call.

        Each of the scheduled actions of ``_processing_crons`` calls this
        method, so that as many workers as Odoo has cron threads bill a run
        side by side: each chunk locks its lines, the other workers take the
        next chunks, and nothing is written on the run itself until its end.
        """
        IrCron = self.env["ir.cron"]
        Line = self.env["helpdesk.case.billing.run.line"].sudo()
        preview_domain = [("preview_done", "=", False), ("run_id.state", "=", "previewing")]
        pending_domain = [("state", "=", "pending"), ("run_id.state", "=", "running")]

        def oldest_first(lines):
            # The oldest run first (the runs' own order is the newest first).
            return lines.sorted(lambda line: (line.run_id.id, line.sequence, line.id))

        def chunked(lines):
            for run_lines in oldest_first(lines).grouped("run_id").values():
                for start in range(0, len(run_lines), self._chunk_customers):
                    yield run_lines[start : start + self._chunk_customers]

        chunks = [(self._preview_pending_lines, lines) for lines in chunked(Line.search(preview_domain))]
        chunks += [(self._process_pending_lines, lines) for lines in chunked(Line.search(pending_domain))]
        # Read now: a chunk's transaction must begin with the lock of its lines.
        cases_of = {line.id: line.case_count for _process, lines in chunks for line in lines}
        IrCron._commit_progress(remaining=sum(len(lines) for _process, lines in chunks))
        for process, lines in chunks:
            queries = self.env.cr.sql_log_count
            done = []
            for attempt in range(2):
                try:
                    # The lines another worker holds are its, not ours.
                    done = process(lines).ids
                    break
                except SerializationFailure:
                    # A row changed by a transaction committed after this one
                    # began (a case billed meanwhile, the run closed by
                    # another worker): start again from a fresh snapshot,
                    # where the change is seen. Twice in a row: leave the
                    # chunk to the next call.
                    self.env.cr.rollback()
                    self.env.invalidate_all()
                    if attempt:
                        _logger.info("Billing run chunk left for the next call: rows kept changing")
            more = IrCron._commit_progress(len(lines))
            if done:
                # Read by the benchmark: the queries of a chunk of customers.
                _logger.debug(
                    "Billing run chunk: %s customers, %s cases in %s queries",
                    len(done),
                    sum(cases_of[line_id] for line_id in done),
                    self.env.cr.sql_log_count - queries,
                )
            if not more:
                break
        # Runs whose last customer was done by a call that stopped before
        # closing them.
        for run in self.sudo().search([("state", "in", ("previewing", "running"))]):
            try:
                run._finish_if_complete()
                IrCron._commit_progress()
            except SerializationFailure:
                # Closed by another worker meanwhile.
                self.env.cr.rollback()
                self.env.invalidate_all()
        remaining = Line.search_count(pending_domain) + Line.search_count(preview_domain)
        if remaining:
            # Called again as soon as this call ends, not at the next poll of
            # the scheduled actions, minutes later.
            self._trigger_processing()
        IrCron._commit_progress(remaining=remaining)

    def _lock_pending_lines(self, lines, where):
        """The lines of ``lines`` still to do, locked: another worker may
        hold some, which are its chunk, not ours."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM helpdesk_case_billing_run_line WHERE id IN %s AND %s "
                "FOR UPDATE SKIP LOCKED",
                tuple(lines.ids),
                where,
            )
        )
        locked = {row[0] for row in self.env.cr.fetchall()}
        lines.invalidate_recordset()
        return lines.filtered(lambda line: line.id in locked)

    def _preview_pending_lines(self, lines):
        """Preview the lines of ``lines`` no other worker holds; return them."""
        lines = self._lock_pending_lines(lines, SQL("preview_done IS NOT TRUE"))
        if lines and lines.run_id.state == "previewing":
            lines.run_id._preview_lines(lines)
            lines.run_id._finish_if_complete()
            return lines
        return lines.browse()

    def _process_pending_lines(self, lines):
        """Bill the lines of ``lines`` no other worker holds; return them."""
        lines = self._lock_pending_lines(lines, SQL("state = 'pending'"))
        if lines and lines.run_id.state == "running":
            lines.run_id._process_lines(lines)
            lines.run_id._finish_if_complete()
            return lines
        return lines.browse()

    def _process_lines(self, lines):
        """Bill the customers of ``lines`` in one batch; when one fails, bill
        them one by one, so that a failure is recorded on its own line and
        stops no other customer."""
        self.ensure_one()
        run = self._user_env_run()
        try:
            with self.env.cr.savepoint():
                if not bills_cases(run.env):
                    raise AccessError(
                        self.env._(
                            "%(user)s no longer has the right to bill cases.",
                            user=self.user_id.name,
                        )
                    )
                run._bill_lines(lines.with_env(run.env))
        except SerializationFailure:
            raise
        except Exception as error:  # noqa: BLE001 - one customer's failure stops no other
            if len(lines) > 1:
                for line in lines:
                    self._process_lines(line)
                return
            if not isinstance(error, UserError):
                _logger.exception("Billing run %s: %s failed", self.name, lines.partner_id.display_name)
            lines.write({"state": "failed", "error": str(error) or repr(error)})

    def _bill_lines(self, lines):
        """Lock the cases of ``lines``, leave out those billed or refused
        since the preview, and make the invoices of the others."""
        _ = self.env._
        Ticket = self.env["helpdesk.ticket"]
        tickets = Ticket.browse(lines.sudo().ticket_ids.ids)
        locked_ids = set()
        if tickets:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM helpdesk_ticket WHERE id IN %s FOR NO KEY UPDATE SKIP LOCKED",
                    tuple(tickets.ids),
                ),
                # A serialization failure is expected, and retried by the cron.
                log_exceptions=False,
            )
            locked_ids = {row[0] for row in self.env.cr.fetchall()}
        tickets.invalidate_recordset()
        skips = {}
        for ticket in tickets.filtered(lambda t: t.id not in locked_ids):
            skips[ticket] = _("The case was being billed by someone else at the same moment.")
        locked = tickets.filtered(lambda t: t.id in locked_ids).exists()
        blockers = locked._get_billing_blockers()
        for ticket in locked:
            if ticket.id in blockers:
                skips[ticket] = "\n".join(text for _code, text in blockers[ticket.id])
        self.env["helpdesk.case.billing.run.skip"].sudo().create(
            [
                {"run_id": self.id, "ticket_id": ticket.id, "reason": reason, "during_run": True}
                for ticket, reason in skips.items()
            ]
        )
        billable_ids = set(locked.ids) - {ticket.id for ticket in skips}
        to_bill = []
        for line in lines:
            line_tickets = Ticket.browse([t for t in line.sudo().ticket_ids.ids if t in billable_ids])
            if line_tickets:
                to_bill.append((line, line_tickets))
            else:
                line.sudo().write({"state": "skipped"})
        moves = self.env["account.move"]
        if to_bill:
            moves = self._make_invoices([(line.partner_id, line_tickets) for line, line_tickets in to_bill])
        if moves and self.invoice_state == "posted":
            moves.with_env(self.env).action_post()
            if self.send_invoices:
                # Queued for Odoo's own sending, as its batch sending does.
                moves.sending_data = {
                    "author_user_id": self.user_id.id,
                    "author_partner_id": self.user_id.partner_id.id,
                }
        for (line, _line_tickets), move in zip(to_bill, moves, strict=True):
            line.sudo().write({"state": "done", "invoice_id": move.id})

    def _lock_to_finish(self):
        """Lock the run to close it; False when another worker holds it (and
        closes it)."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM helpdesk_case_billing_run WHERE id = %s FOR NO KEY UPDATE SKIP LOCKED",
                self.id,
            ),
            # A serialization failure is expected, and handled by the cron.
            log_exceptions=False,
        )
        return bool(self.env.cr.fetchall())

    def _finish_if_complete(self):
        """Close the run once no customer is left to do, and tell its user."""
        self.ensure_one()
        run = self.sudo()
        if run.state == "previewing" and all(run.line_ids.mapped("preview_done")):
            if not run._lock_to_finish():
                return
            run._finish_preview()
            lang_env = run.with_context(lang=run.user_id.lang).env
            run._tell_user(
                lang_env._(
                    "Preview ready: %(invoices)s invoices for %(cases)s cases. Check it, then start the run.",
                    invoices=len(run.line_ids),
                    cases=run.case_count,
                ),
                "info",
            )
            return
        if run.state != "running" or any(line.state == "pending" for line in run.line_ids):
            return
        if not run._lock_to_finish():
            return
        failed = run.line_ids.filtered(lambda line: line.state == "failed")
        company_currency = run.company_id.currency_id
        run.write(
            {
                "state": "failed" if failed else "done",
                "date_end": fields.Datetime.now(),
                "amount_untaxed": company_currency.round(
                    sum(abs(amount) for amount in run.invoice_ids.mapped("amount_untaxed_signed"))
                ),
            }
        )
        if run.send_invoices and run.invoice_ids.filtered("sending_data"):
            run.env.ref("account.ir_cron_account_move_send")._trigger()
        lang_env = run.with_context(lang=run.user_id.lang).env
        _ = lang_env._
        if failed:
            body = _(
                "Billing run finished: %(invoices)s invoices made, %(failed)s customers failed "
                "(see their errors).",
                invoices=run.invoice_count,
                failed=len(failed),
            )
        else:
            body = _(
                "Billing run finished: %(invoices)s invoices made for %(cases)s cases.",
                invoices=run.invoice_count,
                cases=sum(run.line_ids.mapped("case_count")) - len(run.skip_ids.filtered("during_run")),
            )
        run._tell_user(body, "warning" if failed else "success")

    def _tell_user(self, body, kind):
        """A chatter message to the run's user, and a pop-up in their open
        web client, wherever they are in it."""
        self.message_post(
            body=body,
            partner_ids=self.user_id.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.user_id._bus_send(
            "simple_notification",
            {"type": kind, "title": self.name, "message": body, "sticky": kind == "warning"},
        )
