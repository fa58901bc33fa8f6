# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime

from odoo.tests import Form, tagged

from .common import CaseBillingCommon
from .test_billing_reports import UnbilledRevenueMixin


@tagged("post_install", "-at_install")
class TestTeamCutOff(UnbilledRevenueMixin, CaseBillingCommon):
    """*Bill cases closed from*: the cut-off of a team, and what switching
    billing on tells about the team's past closed cases."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The team's dates are days of its company's time zone.
        cls.company.partner_id.tz = "Europe/Brussels"

    def _billable_now(self, tickets):
        """The cases the search *Billable now* finds: the rule's domain twin."""
        return self.env["helpdesk.ticket"].search(
            [("is_billable_now", "=", True), ("id", "in", tickets.ids)]
        )

    def _closed_at(self, ticket, moment):
        ticket.closed_date = moment
        return ticket

    def test_cases_closed_before_the_cut_off_are_not_billed(self):
        old = self._create_case(name="Old printer")
        self._closed_on(old, date(2025, 1, 10))
        new = self._create_case(name="New printer")
        self._closed_on(new, date(2025, 3, 5))
        # 1 March 00:30 in Brussels is still 28 February in UTC.
        just_after = self._closed_at(self._create_case(), datetime(2025, 2, 28, 23, 30))
        # 28 February 23:30 in Brussels.
        just_before = self._closed_at(self._create_case(), datetime(2025, 2, 28, 22, 30))
        # A case created closed has no closing date: its creation counts.
        created_closed = self._create_case(name="Created closed")
        created_closed.closed_date = False
        cases = old | new | just_after | just_before | created_closed
        self.assertEqual(self._billable_now(cases), cases, "no cut-off: all billable")

        self.team.case_billing_start_date = date(2025, 3, 1)

        billable = new | just_after | created_closed
        for ticket in cases:
            with self.subTest(case=ticket.name, closed=ticket.closed_date):
                self.assertEqual(ticket.is_billable_now, ticket in billable)
        self.assertEqual(self._billable_now(cases), billable)
        self.assertEqual(
            self.env["helpdesk.ticket"].search(
                [("is_billable_now", "=", False), ("id", "in", cases.ids)]
            ),
            old | just_before,
        )
        env = self.env(context=dict(self.env.context, lang="en_US"))
        self.assertEqual(
            old.with_env(env).billing_blockers,
            "Closed on 01/10/2025, before team Support bills its cases (cases closed "
            "from 03/01/2025).",
        )
        self.assertIn("Closed on 02/28/2025", just_before.with_env(env).billing_blockers)
        # The unbilled-revenue report groups them by their stored reason.
        self.assertEqual(self._stored_reason(old), "before_start")
        self.assertEqual(self._stored_reason(new), "ready")
        self.assertEqual(
            self._unbilled_report_groups(cases), {"before_start": 2, "ready": 3}
        )
        # Load helpdesk cases refuses them with the reason.
        refusals = old._get_billing_refusals(self._create_invoice())
        self.assertIn("before team Support bills its cases", refusals[old][0])

        # Removing the cut-off bills them again.
        self.team.case_billing_start_date = False
        self.assertEqual(self._billable_now(cases), cases)
        self.assertEqual(self._stored_reason(old), "ready")

    def test_the_cut_off_of_one_team_leaves_the_others_alone(self):
        other_team = self.env["helpdesk.ticket.team"].create(
            {
                "name": "Other",
                "company_id": self.company.id,
                "default_project_id": self.project.id,
                "case_billing_enabled": True,
            }
        )
        ours = self._create_case(name="Ours")
        theirs = self._create_case(name="Theirs", team=other_team)
        for ticket in ours | theirs:
            self._closed_on(ticket, date(2025, 1, 10))
        other_team.case_billing_start_date = date(2025, 3, 1)
        self.assertEqual(self._billable_now(ours | theirs), ours)
        self.assertTrue(ours.is_billable_now)
        self.assertFalse(theirs.is_billable_now)

    def test_the_cut_off_is_tracked_in_the_chatter(self):
        # Without the test classes' tracking_disable.
        team = self.team.with_env(self.env(context={"lang": "en_US"}))
        self.env.cr.precommit.run()
        team.case_billing_start_date = date(2025, 3, 1)
        # Tracking values are written when the transaction commits.
        self.env.cr.precommit.run()
        team.invalidate_recordset(["message_ids"])
        tracked = team.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "case_billing_start_date"
        )
        self.assertEqual(len(tracked), 1)
        self.assertEqual(tracked.new_value_datetime.date(), date(2025, 3, 1))

    def test_switching_billing_on_tells_how_many_cases_become_billable(self):
        team = self.env["helpdesk.ticket.team"].create(
            {
                "name": "Field service",
                "company_id": self.company.id,
                "default_project_id": self.project.id,
            }
        )
        closed = self.env["helpdesk.ticket"]
        for day in (date(2025, 1, 10), date(2025, 2, 14), date(2025, 3, 5)):
            ticket = self._create_case(name=f"Closed {day}", team=team)
            self._closed_on(ticket, day)
            closed |= ticket
        # Neither an open case nor a closed one without solution becomes billable.
        self._create_case(name="Open", team=team, closed=False)
        self._create_case(name="No solution", team=team, solution=False)
        self.assertFalse(self._billable_now(closed))

        env = self.env(context=dict(self.env.context, lang="en_US"))
        form = Form(team.with_env(env))
        self.assertFalse(form.case_billing_preview_notice, "nothing changed yet")
        form.case_billing_enabled = True
        self.assertEqual(
            form.case_billing_preview_notice,
            "Saving makes 3 closed cases of this team billable, closed from 01/10/2025 "
            "to 03/05/2025.\n"
            "To leave older cases unbilled, set Bill cases closed from: cases closed "
            "before that day are never billed.",
        )
        # The cut-off the form offers counts at once.
        form.case_billing_start_date = date(2025, 2, 1)
        self.assertIn(
            "Saving makes 2 closed cases of this team billable, closed from 02/14/2025 "
            "to 03/05/2025.",
            form.case_billing_preview_notice,
        )
        form.case_billing_start_date = date(2025, 3, 1)
        self.assertIn(
            "Saving makes 1 closed case of this team billable, closed on 03/05/2025.",
            form.case_billing_preview_notice,
        )
        form.save()
        # Nothing was billable while the form was open, the count is what saving did.
        self.assertEqual(self._billable_now(closed), closed[2])
        self.assertEqual(
            [self._stored_reason(ticket) for ticket in closed],
            ["before_start", "before_start", "ready"],
        )
        self.assertFalse(Form(team).case_billing_preview_notice, "saved: nothing to say")

    def test_switching_billing_off_tells_how_many_cases_stop_being_billable(self):
        ready = self._create_case(name="Ready")
        self._create_case(name="Open", closed=False)
        env = self.env(context=dict(self.env.context, lang="en_US"))
        form = Form(self.team.with_env(env))
        form.case_billing_enabled = False
        self.assertEqual(
            form.case_billing_preview_notice,
            "Saving makes 1 case of this team that is billable now not billable "
            "(Billing off).",
        )
        # Unsaved, the form changed nothing.
        self.assertTrue(ready.is_billable_now)
        self.assertTrue(self.team.case_billing_enabled)

    def test_a_team_without_past_cases_says_nothing(self):
        team = self.env["helpdesk.ticket.team"].create(
            {"name": "Empty", "company_id": self.company.id}
        )
        form = Form(team)
        form.case_billing_enabled = True
        self.assertFalse(form.case_billing_preview_notice)
