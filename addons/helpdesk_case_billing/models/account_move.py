# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_amount

from .helpdesk_ticket import check_record_ids, format_hours_minutes, is_record_id, linking_cases


class AccountMove(models.Model):
    _inherit = "account.move"

    helpdesk_ticket_ids = fields.Many2many(
        comodel_name="helpdesk.ticket",
        string="Helpdesk cases",
        compute="_compute_helpdesk_ticket_ids",
        help="The helpdesk cases billed by the lines of this invoice.",
    )
    helpdesk_cases_summary = fields.Char(
        string="Helpdesk cases in all",
        compute="_compute_helpdesk_cases_summary",
        help="The totals of the invoice's helpdesk cases, as Load helpdesk cases "
        "tells them: time billed, billing units by length, billable time spent, "
        "and the untaxed amount of their lines.",
    )
    case_billing_available = fields.Boolean(
        string="Case billing available",
        compute="_compute_case_billing_available",
        help="Technical field: a helpdesk team of the invoice's company bills its "
        "cases, so cases can be added to this customer invoice.",
    )

    @api.depends("line_ids.helpdesk_ticket_id")
    def _compute_helpdesk_ticket_ids(self):
        for move in self:
            # Only the cases the user may read: the invoice form lists them.
            move.helpdesk_ticket_ids = move.sudo()._get_helpdesk_cases().with_env(
                self.env
            )._filtered_access("read")

    @api.depends(
        "move_type",
        "currency_id",
        "line_ids.helpdesk_ticket_id",
        "line_ids.price_subtotal",
        "helpdesk_ticket_ids",
    )
    def _compute_helpdesk_cases_summary(self):
        for move in self:
            tickets = move.helpdesk_ticket_ids
            if move.move_type != "out_invoice" or not tickets:
                move.helpdesk_cases_summary = False
                continue
            move.helpdesk_cases_summary = move._get_helpdesk_cases_summary(tickets)

    def _get_helpdesk_cases_summary(self, tickets):
        """"2 cases: 5:00 h billed (20 × 15 min) for 4:20 h of billable time,
        $ 300.00": the figures of ``tickets`` as the Load helpdesk cases dialog
        gives them, and the untaxed amount of this invoice's lines that bill them."""
        self.ensure_one()
        _ = self.env._
        units = {ticket: ticket.billing_units for ticket in tickets}
        lines = self.invoice_line_ids.filtered(lambda line: line.helpdesk_ticket_id in tickets)
        values = {
            "count": len(tickets),
            "billed": format_hours_minutes(sum(tickets.mapped("billing_billed_hours"))),
            "units": tickets._format_billing_units(tickets._group_billing_units(units)),
            "spent": format_hours_minutes(sum(tickets.mapped("billing_duration_hours"))),
            "amount": format_amount(
                self.env, sum(lines.mapped("price_subtotal")), self.currency_id
            ),
        }
        if len(tickets) == 1:
            return _(
                "1 case: %(billed)s h billed (%(units)s) for %(spent)s h of billable "
                "time, %(amount)s",
                **values,
            )
        return _(
            "%(count)s cases: %(billed)s h billed (%(units)s) for %(spent)s h of "
            "billable time, %(amount)s",
            **values,
        )

    @api.depends("company_id", "move_type")
    def _compute_case_billing_available(self):
        teams = (
            self.env["helpdesk.ticket.team"]
            .sudo()
            .search_fetch([("case_billing_enabled", "=", True)], ["company_id"])
        )
        billing_companies = set(teams.company_id.ids)
        shared = any(not team.company_id for team in teams)
        for move in self:
            move.case_billing_available = move.move_type == "out_invoice" and (
                shared or move.company_id.id in billing_companies
            )

    def action_add_helpdesk_cases(self, ticket_ids):
        """Add one line per helpdesk case to this draft customer invoice.

        Every case must be billable now and be for the invoice's customer;
        otherwise nothing is added and the error lists each refused case with
        its reasons. The number of queries does not depend on the number of
        cases.

        :param ticket_ids: ids of helpdesk.ticket records (or a recordset)
        :return: the figures of what was added, as the web client tells them:
            {"case_count": int, "spent_hours": float, "billed_hours": float,
            "units": [{"minutes": int, "units": int}] (units added up per
            length, never across lengths; 0 minutes counts flat rates),
            "amount": float (untaxed, in the invoice's currency),
            "line_ids": [int]}
        """
        Ticket = self.env["helpdesk.ticket"]
        check_record_ids(self)
        Ticket._check_case_billing_access()
        _ = self.env._
        if len(self) != 1:
            raise UserError(_("Cases are added to one invoice at a time."))
        if self.move_type != "out_invoice" or self.state != "draft":
            raise UserError(
                _(
                    "Cases can only be added to a draft customer invoice; "
                    "%(invoice)s is not one.",
                    invoice=self.display_name,
                )
            )
        if not self.partner_id:
            raise UserError(_("Choose the customer of the invoice before adding cases."))
        if isinstance(ticket_ids, models.BaseModel):
            ticket_ids = ticket_ids.ids
        if not isinstance(ticket_ids, list | tuple) or not all(map(is_record_id, ticket_ids)):
            raise UserError(
                _(
                    "Cases are given by their ids, a list of whole numbers; %(value)s is not.",
                    value=repr(ticket_ids)[:100],
                )
            )
        ids = list(dict.fromkeys(ticket_ids))
        if not ids:
            raise UserError(_("Select the cases to add to the invoice."))
        tickets = Ticket.browse(ids)
        lines = self._bill_helpdesk_cases(
            {self: tickets},
            _(
                "Nothing was added to %(invoice)s. These cases cannot be billed on it:",
                invoice=self.display_name,
            ),
        )
        units = {ticket: ticket._get_billing_line_quantity()[0] for ticket in tickets}
        return {
            "case_count": len(tickets),
            "spent_hours": sum(tickets.mapped("billing_duration_hours")),
            "billed_hours": sum(t._get_billed_time(n)[0] for t, n in units.items()),
            "units": tickets._group_billing_units(units),
            "amount": self.currency_id.round(sum(lines.mapped("price_subtotal"))),
            "line_ids": lines.ids,
        }

    @api.model
    def _bill_helpdesk_cases(self, tickets_by_move, refusal_header):
        """Add each draft invoice's cases to it, all invoices in one batch.

        Either every case is billed or none is: a case that cannot go on its
        invoice raises a UserError starting with ``refusal_header`` and
        listing each refused case with its reasons.

        :param tickets_by_move: {account.move: helpdesk.ticket recordset}
        :return: the created invoice lines
        """
        _ = self.env._
        Ticket = self.env["helpdesk.ticket"]
        tickets = Ticket.union(*tickets_by_move.values())
        # Lock first, then check: a concurrent billing of the same cases is
        # either refused by the lock or seen by the checks.
        tickets._lock_for_billing()
        existing = tickets.exists()
        if existing != tickets:
            raise UserError(
                _(
                    "Some of the selected cases no longer exist (ids %(ids)s); "
                    "reload the list and try again.",
                    ids=", ".join(str(i) for i in (tickets - existing).ids),
                )
            )
        blockers = tickets._get_billing_blockers()
        refusals = {}
        for move, move_tickets in tickets_by_move.items():
            refusals.update(move_tickets._get_billing_refusals(move, blockers))
        if refusals:
            raise UserError(Ticket._format_billing_refusals(refusals, refusal_header))
        vals_list = []
        bodies = {}
        for move, move_tickets in tickets_by_move.items():
            # The billing right is checked: act with the rights billing needs,
            # which a user without an Invoicing role does not have.
            move = move.sudo()
            vals_list += move._add_case_line_amounts(
                move_tickets._add_material_invoice_line_vals(
                    move, move_tickets._prepare_invoice_line_vals(move)
                )
            )
            bodies.update(
                dict.fromkeys(move_tickets.ids, _("Added to invoice %s.", move._get_html_link()))
            )
        with linking_cases():
            lines = self.env["account.move.line"].sudo().create(vals_list)
        # The cases follow their invoice lines (stored computes). Compute them
        # now without a tracking message per case, and log one batch instead.
        tickets.with_context(mail_notrack=True)._recompute_recordset(
            ["invoice_id", "billing_status_id"]
        )
        tickets.sudo()._message_log_batch(bodies=bodies)
        return lines

    def _add_case_line_amounts(self, vals_list):
        """Complete case line values with the amounts Odoo computes for them.

        Lines created without their amounts are each written again several
        times by the invoice's synchronisation (amounts, balance, tax tags),
        which costs milliseconds per line. Cases billed with the same product,
        unit, quantity and unit price (given when the customer's pricelist
        sets it) get the same amounts, so Odoo's own price, tax and currency
        computation runs once per such group on an unsaved line and its
        results are passed to the create. The synchronisation that follows
        still rounds the whole invoice and corrects any line whose share of a
        global rounding differs.
        """
        self.ensure_one()
        AccountTax = self.env["account.tax"]
        company = self.company_id
        amounts = {}

        def group(vals):
            return (
                vals["product_id"],
                vals["product_uom_id"],
                vals["quantity"],
                vals.get("price_unit"),
            )

        for vals in vals_list:
            key = group(vals)
            if key not in amounts:
                price = {"price_unit": vals["price_unit"]} if "price_unit" in vals else {}
                line = self.env["account.move.line"].new(
                    {
                        "move_id": self.id,
                        "display_type": "product",
                        "product_id": vals["product_id"],
                        "product_uom_id": vals["product_uom_id"],
                        "quantity": vals["quantity"],
                        **price,
                    }
                )
                base_line = self._prepare_product_base_line_for_taxes_computation(line)
                AccountTax._add_tax_details_in_base_line(base_line, company)
                AccountTax._round_base_lines_tax_details([base_line], company)
                AccountTax._add_accounting_data_in_base_lines_tax_details(
                    [base_line], company, include_caba_tags=self.always_tax_exigible
                )
                tax_results = AccountTax._prepare_tax_lines([base_line], company)
                [(_base_line, line_amounts)] = tax_results["base_lines_to_update"]
                amounts[key] = {
                    "price_unit": line.price_unit,
                    "tax_ids": [Command.set(line.tax_ids.ids)],
                    **line_amounts,
                }
        return [{**vals, **amounts[group(vals)]} for vals in vals_list]

    def _reverse_moves(self, default_values_list=None, cancel=False):
        # A credit note credits the cases of the lines it reverses.
        with linking_cases():
            return super()._reverse_moves(default_values_list=default_values_list, cancel=cancel)

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._log_helpdesk_case_billing()
        return posted

    def button_cancel(self):
        result = super().button_cancel()
        self._log_helpdesk_case_billing()
        return result

    def _log_helpdesk_case_billing(self):
        """Tell each case what its invoice or credit note just did to it: the
        chatter of a case reads as its billing history."""
        _ = self.env._
        bodies = {}
        for move in self:
            link = move._get_html_link()
            if move.move_type == "out_invoice" and move.state == "posted":
                body = _("Invoiced on %s.", link)
            elif move.move_type == "out_invoice":
                body = _("%s cancelled.", link)
            elif move.move_type == "out_refund" and move.state == "posted":
                body = _("Credited by %s.", link)
            else:
                continue
            for ticket in move._get_helpdesk_cases():
                billed_on = ticket.invoice_id
                if not billed_on:
                    bodies[ticket.id] = _("%s The case is billable again.", body)
                elif billed_on != move:
                    bodies[ticket.id] = _(
                        "%(event)s The case is still billed on %(invoice)s.",
                        event=body,
                        invoice=billed_on._get_html_link(),
                    )
                else:
                    bodies[ticket.id] = body
        if bodies:
            tickets = self.env["helpdesk.ticket"].sudo().browse(list(bodies))
            tickets._message_log_batch(bodies=bodies)

    def _get_helpdesk_cases(self):
        """The cases billed or credited by these moves' lines (extended by the
        ways a case is billed other than as a case)."""
        return self.sudo().line_ids.helpdesk_ticket_id

    def button_draft(self):
        # A cancelled invoice bills its cases again once reset; a credit note
        # reset to draft no longer credits them: either way, unless they were
        # billed elsewhere meanwhile.
        tickets = self._get_helpdesk_cases()
        tickets._lock_for_billing()
        # Named as the user sees them now, before they change.
        names = {move: move.display_name for move in self}
        result = super().button_draft()
        self.env["account.move.line"].flush_model()
        for ticket in tickets:
            live = ticket._get_billing_live_invoices()
            if len(live) > 1:
                # The moves reset here, and the invoices their credit notes reverse.
                own = live & (self | self.reversed_entry_id)
                others = (live - own) or own[1:]
                move = self.filtered(
                    lambda m, own=own, others=others: m in own - others
                    or m.reversed_entry_id in own - others
                )[:1]
                raise UserError(
                    self.env._(
                        "%(invoice)s cannot be reset to draft: its case %(case)s has been "
                        "billed on %(other)s meanwhile. Remove the case from one of the "
                        "invoices first.",
                        invoice=names.get(move, move.display_name),
                        case=ticket.number,
                        other=", ".join(others.mapped("display_name")),
                    )
                )
        return result
