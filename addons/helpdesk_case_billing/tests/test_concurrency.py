# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestConcurrentBilling(TransactionCase):
    """Two users add the same case to two invoices at the same moment.

    The test transaction cannot see what other transactions do, so the data
    is committed by a cursor of its own, the two users work in two more
    cursors, and everything committed is deleted at the end.
    """

    QUIET = {"tracking_disable": True, "mail_notrack": True, "mail_create_nolog": True}

    def setUp(self):
        super().setUp()
        self.ids = {}
        self.addCleanup(self._delete_committed_data)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, self.QUIET)
            admin = env.ref("base.user_admin")
            employee = env["hr.employee"].search(
                [("user_id", "=", admin.id), ("company_id", "=", admin.company_id.id)], limit=1
            )
            env = env(context=dict(env.context, allowed_company_ids=admin.company_id.ids))
            partner = env["res.partner"].create({"name": "Concurrent Customer", "is_company": True})
            self.ids["partner"] = partner.id
            project = env["project.project"].create(
                {"name": "Concurrent support", "allow_timesheets": True}
            )
            self.ids["project"] = project.id
            team = env["helpdesk.ticket.team"].create(
                {
                    "name": "Concurrent team",
                    "default_project_id": project.id,
                    "case_billing_enabled": True,
                }
            )
            self.ids["team"] = team.id
            ticket = env["helpdesk.ticket"].create(
                {
                    "name": "Shared case",
                    "description": "<p>x</p>",
                    "partner_id": partner.id,
                    "team_id": team.id,
                    "project_id": project.id,
                    "solution": "<p>Done</p>",
                }
            )
            self.ids["ticket"] = ticket.id
            env["account.analytic.line"].create(
                {
                    "name": "Work",
                    "ticket_id": ticket.id,
                    "employee_id": employee.id,
                    "unit_amount": 0.5,
                }
            )
            ticket.stage_id = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
            moves = env["account.move"].create(
                [{"move_type": "out_invoice", "partner_id": partner.id}] * 2
            )
            self.ids["moves"] = moves.ids
            self.assertTrue(ticket.is_billable_now, ticket.billing_blockers)
            self.admin_id = admin.id
        self.env1 = self._user_env()
        self.env2 = self._user_env()

    def _user_env(self):
        cr = self.registry.cursor()
        self.addCleanup(cr.close)
        self.addCleanup(cr.rollback)
        return api.Environment(cr, self.admin_id, {})

    def _delete_committed_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, self.QUIET)
            env["account.move"].browse(self.ids.get("moves", [])).exists().unlink()
            ticket = env["helpdesk.ticket"].browse(self.ids.get("ticket")).exists()
            ticket.timesheet_ids.unlink()
            ticket.unlink()
            env["helpdesk.ticket.team"].browse(self.ids.get("team")).exists().unlink()
            project = env["project.project"].browse(self.ids.get("project")).exists()
            account = project.account_id
            project.unlink()
            account.exists().unlink()
            env["res.partner"].browse(self.ids.get("partner")).exists().unlink()

    def _add(self, env, move_index):
        move = env["account.move"].browse(self.ids["moves"][move_index])
        return move.action_add_helpdesk_cases([self.ids["ticket"]])

    def _committed_state(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            ticket = env["helpdesk.ticket"].browse(self.ids["ticket"])
            moves = env["account.move"].browse(self.ids["moves"])
            return (
                ticket.invoice_id.id,
                [len(move.invoice_line_ids.filtered("helpdesk_ticket_id")) for move in moves],
            )

    def test_second_user_is_refused_while_the_first_bills(self):
        result = self._add(self.env1, 0)  # holds the case's row until commit
        self.assertEqual(result["case_count"], 1)
        with self.assertRaises(UserError) as caught:
            self._add(self.env2, 1)
        self.assertEqual(
            str(caught.exception), "This case is being billed by another user, try again."
        )
        self.env1.cr.commit()
        self.env2.cr.rollback()
        # Trying again: the case is billed now.
        with self.assertRaisesRegex(UserError, "Already invoiced on"):
            self._add(self.env2, 1)
        self.env2.cr.rollback()
        self.assertEqual(self._committed_state(), (self.ids["moves"][0], [1, 0]))

    def test_second_user_started_before_the_first_committed(self):
        # The second transaction has its snapshot before the first one commits:
        # the lock raises a serialization failure, which Odoo's RPC layer
        # retries; the retry sees the case billed.
        self.env2.cr.execute("SELECT 1")
        self._add(self.env1, 0)
        self.env1.cr.commit()
        with self.assertRaises(SerializationFailure):
            self._add(self.env2, 1)
        self.env2.cr.rollback()
        with self.assertRaisesRegex(UserError, "Already invoiced on"):
            self._add(self.env2, 1)
        self.env2.cr.rollback()
        self.assertEqual(self._committed_state(), (self.ids["moves"][0], [1, 0]))
