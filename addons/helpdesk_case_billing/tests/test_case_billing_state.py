# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import CaseBillingCommon


@tagged("post_install", "-at_install")
class TestCaseBillingState(CaseBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unbilled_team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Internal IT",
                "company_id": cls.company.id,
                "default_project_id": cls.project.id,
            }
        )

    def _blockers(self, ticket):
        return ticket.billing_blockers.split("\n") if ticket.billing_blockers else []

    # --- time, units, quantity ------------------------------------------

    def test_seed_example_twenty_minutes(self):
        ticket = self._create_case(minutes=(20,))
        self.assertAlmostEqual(ticket.billing_duration_hours, 1 / 3, places=9)
        self.assertEqual(ticket.billing_units, 2, "20 min at 15-min units is 2 units, not 3")
        # The line's quantity is in billing units, its unit the team's 15 min.
        self.assertEqual(ticket.billing_quantity, 2.0)
        self.assertEqual(ticket.billing_uom_id, self.team.case_billing_uom_id)
        self.assertAlmostEqual(ticket.billing_amount_estimate, 40.0)

    def test_rounding_up_to_whole_units(self):
        cases = [
            # (unit, minutes logged, expected units, expected hours)
            (15, (15,), 1, 0.25),
            (15, (16,), 2, 0.5),
            (15, (45, 30), 5, 1.25),
            (10, (20,), 2, 20 / 60),
            (6, (42,), 7, 0.7),
            (60, (1,), 1, 1.0),
            (1440, (61,), 1, 24.0),
            (1, (20,), 20, 20 / 60),
        ]
        hour = self.env.ref("uom.product_uom_hour")
        for unit, minutes, units, hours in cases:
            with self.subTest(unit=unit, minutes=minutes):
                self.team.case_billing_unit_minutes = unit
                ticket = self._create_case(minutes=minutes)
                self.assertEqual(ticket.billing_units, units)
                # Whole units, exactly; in hours, exactly the time billed.
                self.assertEqual(ticket.billing_quantity, units)
                billed = ticket.billing_uom_id._compute_quantity(units, hour, round=False)
                self.assertAlmostEqual(billed, hours, places=9)

    def test_duration_follows_timesheets(self):
        ticket = self._create_case(minutes=(20,))
        lines = self._log_time(ticket, 25)
        self.assertAlmostEqual(ticket.billing_duration_hours, 0.75)
        self.assertEqual(ticket.billing_units, 3)
        lines.unit_amount = 1.0
        self.assertAlmostEqual(ticket.billing_duration_hours, 4 / 3)
        self.assertEqual(ticket.billing_units, 6)
        lines.unlink()
        self.assertEqual(ticket.billing_units, 2)

    def test_timesheet_gets_the_case_project(self):
        ticket = self._create_case(minutes=())
        line = self.env["account.analytic.line"].create(
            {"name": "Call", "ticket_id": ticket.id, "unit_amount": 0.5}
        )
        self.assertEqual(line.project_id, self.project)
        self.assertEqual(line.employee_id, self.employee, "the user's employee logs the time")
        self.assertEqual(ticket.timesheet_ids, line)
        self.assertAlmostEqual(ticket.billing_duration_hours, 0.5)

    def test_fixed_mode(self):
        self.team.case_billing_mode = "fixed"
        ticket = self._create_case(minutes=(95,))
        self.assertEqual(ticket.billing_units, 1)
        self.assertEqual(ticket.billing_quantity, 1.0)
        self.assertAlmostEqual(ticket.billing_amount_estimate, 80.0)
        flat = self._create_case(name="Password reset", minutes=())
        self.assertTrue(flat.is_billable_now, "a flat rate needs no time spent")
        self.assertEqual(flat.billing_units, 1)

    def test_no_time_no_units(self):
        ticket = self._create_case(minutes=())
        self.assertEqual(ticket.billing_units, 0)
        self.assertEqual(ticket.billing_quantity, 0.0)
        self.assertEqual(ticket.billing_amount_estimate, 0.0)

    # --- financial status -------------------------------------------------

    def test_status_defaults_from_the_team(self):
        ticket = self._create_case()
        self.assertEqual(ticket.billing_status_id, self.status_billable)
        self.assertEqual(ticket.billing_kind, "billable")
        self.assertEqual(ticket.billing_status_color, self.status_billable.color)
        self.team.case_billing_default_status_id = self.status_not_billable
        ticket = self._create_case(name="Second")
        self.assertEqual(ticket.billing_status_id, self.status_not_billable)
        # No team: the seeded Billable status.
        lonely = self.env["helpdesk.ticket"].create({"name": "No team", "description": "x"})
        self.assertEqual(lonely.billing_status_id, self.status_billable)

    def test_status_follows_a_team_change(self):
        other_status = self.env["helpdesk.ticket.billing.status"].create(
            {"name": "To check", "kind": "not_billable"}
        )
        self.unbilled_team.case_billing_default_status_id = other_status
        ticket = self._create_case(closed=False)
        ticket.team_id = self.unbilled_team
        self.assertEqual(ticket.billing_status_id, other_status)
        ticket.team_id = self.team
        self.assertEqual(ticket.billing_status_id, self.status_billable)

    def test_explicit_status_on_create_is_kept(self):
        ticket = self._create_case(billing_status_id=self.status_not_billable.id)
        self.assertEqual(ticket.billing_status_id, self.status_not_billable)

    def test_onchange_team_sets_its_default(self):
        self.unbilled_team.case_billing_default_status_id = self.status_not_billable
        ticket = self._create_case(closed=False)
        with self.env.cr.savepoint():
            new = self.env["helpdesk.ticket"].new(origin=ticket)
            new.team_id = self.unbilled_team
            new._onchange_team_id_billing_status()
            self.assertEqual(new.billing_status_id, self.status_not_billable)

    # --- blockers ------------------------------------------------------------

    def test_billable_case_has_no_blocker(self):
        ticket = self._create_case()
        self.assertFalse(ticket.billing_blockers)
        self.assertTrue(ticket.is_billable_now)

    def test_every_blocker_of_an_open_case(self):
        ticket = self._create_case(
            team=self.unbilled_team, minutes=(), closed=False, solution=False, partner=False
        )
        ticket.billing_status_id = self.status_not_billable
        self.assertEqual(
            self._blockers(ticket),
            [
                "Billing is not enabled for team Internal IT.",
                "Its financial status Not billable is not a billable one.",
                "The case is not closed.",
                "No solution is written.",
                "No time is spent on the case.",
                "The case has no customer.",
            ],
        )
        self.assertFalse(ticket.is_billable_now)

    def test_each_blocker_alone(self):
        cases = {
            "Billing is not enabled for team Internal IT.": {"team": self.unbilled_team},
            "The case is not closed.": {"closed": False},
            "No solution is written.": {"solution": False},
            "No time is spent on the case.": {"minutes": ()},
            "The case has no customer.": {"partner": False},
        }
        for message, kwargs in cases.items():
            with self.subTest(message=message):
                ticket = self._create_case(**kwargs)
                self.assertEqual(self._blockers(ticket), [message])
                self.assertFalse(ticket.is_billable_now)

    def test_blocker_status_names_the_status(self):
        waiting = self.env["helpdesk.ticket.billing.status"].create(
            {"name": "Waiting for the contract", "kind": "not_billable"}
        )
        ticket = self._create_case(billing_status_id=waiting.id)
        self.assertEqual(
            self._blockers(ticket),
            ["Its financial status Waiting for the contract is not a billable one."],
        )

    def test_blocker_no_team(self):
        ticket = self._create_case()
        ticket.sudo().write({"team_id": False, "stage_id": self.stage_done.id})
        self.assertEqual(
            self._blockers(ticket), ["The case has no team, so billing is not enabled for it."]
        )

    def test_empty_html_solution_is_no_solution(self):
        ticket = self._create_case(solution="<p><br></p>")
        self.assertFalse(ticket.has_solution)
        self.assertEqual(self._blockers(ticket), ["No solution is written."])
        ticket.solution = "<p>Cleaned the paper path.</p>"
        self.assertTrue(ticket.has_solution)
        self.assertTrue(ticket.is_billable_now)

    def test_search_is_billable_now(self):
        billable = self._create_case(name="Billable") | self._create_case(
            name="Billable flat", team=self._fixed_team(), minutes=()
        )
        blocked = (
            self._create_case(name="Open", closed=False)
            | self._create_case(name="No solution", solution=False)
            | self._create_case(name="No time", minutes=())
            | self._create_case(name="No customer", partner=False)
            | self._create_case(name="Not billed team", team=self.unbilled_team)
            | self._create_case(name="Not billable", billing_status_id=self.status_not_billable.id)
        )
        all_cases = billable | blocked
        Ticket = self.env["helpdesk.ticket"]
        domain = [("id", "in", all_cases.ids)]
        self.assertEqual(Ticket.search(domain + [("is_billable_now", "=", True)]), billable)
        self.assertEqual(Ticket.search(domain + [("is_billable_now", "=", False)]), blocked)
        self.assertEqual(Ticket.search(domain + [("is_billable_now", "!=", True)]), blocked)
        self.assertEqual(Ticket.search(domain + [("is_billable_now", "!=", False)]), billable)
        # The search and the computed value agree case by case.
        for ticket in all_cases:
            self.assertEqual(ticket.is_billable_now, ticket in billable, ticket.name)
        # What the invoice grid loads.
        found = Ticket.search_read(
            [
                ("is_billable_now", "=", True),
                ("partner_id", "child_of", self.customer.commercial_partner_id.id),
            ],
            ["number", "billing_units", "billing_blockers"],
        )
        self.assertEqual({row["id"] for row in found}, set(billable.ids))

    def _fixed_team(self):
        return self.env["helpdesk.ticket.team"].create(
            {
                "name": "Flat rate",
                "company_id": self.company.id,
                "case_billing_enabled": True,
                "case_billing_mode": "fixed",
            }
        )

    # --- where the billing stands -----------------------------------------

    def test_billing_state_follows_the_case_and_its_invoices(self):
        ticket = self._create_case(closed=False)
        self.assertEqual(
            (ticket.billing_state, ticket.billing_state_label), ("not_ready", "Not ready")
        )
        self.assertEqual(ticket.billing_state_color, "warning")
        self.assertIn("The case is not closed.", self._blockers(ticket))
        ticket.stage_id = self.stage_done
        self.assertEqual(
            (ticket.billing_state, ticket.billing_state_label), ("ready", "Ready to bill")
        )
        invoice = self._create_invoice()
        invoice.action_add_helpdesk_cases([ticket.id])
        self.assertEqual(
            (ticket.billing_state, ticket.billing_state_label),
            ("draft_invoice", "On a draft invoice"),
        )
        invoice.action_post()
        self.assertEqual(
            (ticket.billing_state, ticket.billing_state_label),
            ("invoiced", f"Invoiced {invoice.name}"),
        )
        self.assertEqual(ticket.billing_state_color, "success")
        invoice._reverse_moves(cancel=True)
        credit = invoice.reversal_move_ids
        self.assertEqual(
            (ticket.billing_state, ticket.billing_state_label),
            ("credited", f"Credited {credit.name}, ready to bill again"),
        )

    def test_billing_state_in_a_list_costs_no_query_per_case(self):
        tickets = self.env["helpdesk.ticket"].concat(
            *(self._create_case(name=f"Case {i}") for i in range(3))
        )
        self.env.invalidate_all()
        states = tickets.mapped("billing_state")
        self.assertEqual(states, ["ready"] * 3)
