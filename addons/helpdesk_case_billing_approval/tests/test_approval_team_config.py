# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from odoo.addons.helpdesk_case_billing.tests.common import CaseBillingCommon


@tagged("post_install", "-at_install")
class TestApprovalTeamConfig(CaseBillingCommon):
    """Approval settings that cannot hurt: what switching approval on does to
    the team's billable cases, reminders before the expiry."""

    def test_switching_approval_on_tells_how_many_cases_wait_for_it(self):
        ready = self._create_case(name="Ready") | self._create_case(name="Also ready")
        self._create_case(name="Open", closed=False)
        env = self.env(context=dict(self.env.context, lang="en_US"))
        form = Form(self.team.with_env(env))
        form.case_billing_approval_required = True
        self.assertEqual(
            form.case_billing_preview_notice,
            "Saving makes 2 cases of this team that are billable now not billable "
            "(Awaiting customer approval).",
        )
        # Unsaved, nothing changed.
        self.assertTrue(all(ready.mapped("is_billable_now")))
        form.case_billing_approval_required = False
        self.assertFalse(form.case_billing_preview_notice)
        form.case_billing_approval_required = True
        form.save()
        self.assertFalse(any(ready.mapped("is_billable_now")))

    def test_switching_billing_on_with_approval_counts_only_approved_cases(self):
        team = self.env["helpdesk.ticket.team"].create(
            {
                "name": "Field service",
                "company_id": self.company.id,
                "default_project_id": self.project.id,
            }
        )
        self._create_case(name="Closed", team=team)
        self._create_case(name="Closed too", team=team)
        env = self.env(context=dict(self.env.context, lang="en_US"))
        form = Form(team.with_env(env))
        form.case_billing_enabled = True
        self.assertIn("Saving makes 2 closed cases", form.case_billing_preview_notice)
        # With approval they wait for the customer: none becomes billable.
        form.case_billing_approval_required = True
        self.assertFalse(form.case_billing_preview_notice)

    def test_a_reminder_after_the_expiry_is_refused_in_the_settings(self):
        self.company.write(
            {"case_billing_approval_reminder_days": 3, "case_billing_approval_expiry_days": 14}
        )
        env = self.env(context=dict(self.env.context, lang="en_US"))
        for reminder, expiry in ((20, 14), (14, 14), (3, 2)):
            with self.subTest(reminder=reminder, expiry=expiry):
                # Saving the settings page: create, then execute.
                with self.assertRaises(ValidationError) as refused:
                    env["res.config.settings"].create(
                        {
                            "case_billing_approval_reminder_days": reminder,
                            "case_billing_approval_expiry_days": expiry,
                        }
                    ).execute()
                self.assertIn(
                    f"comes after {reminder} days, when the request has expired (after "
                    f"{expiry} days): remind the customer before it expires.",
                    str(refused.exception),
                )
                self.assertEqual(self.company.case_billing_approval_reminder_days, 3)
                self.assertEqual(self.company.case_billing_approval_expiry_days, 14)
