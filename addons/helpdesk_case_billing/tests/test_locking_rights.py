# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CaseBillingCommon


@tagged("post_install", "-at_install")
class TestLockingAndRights(CaseBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Helpdesk manager and invoicing user, without the billing right.
        cls.no_billing_user = cls._new_user(
            "hcb_no_billing",
            "helpdesk_mgmt.group_helpdesk_manager,account.group_account_invoice",
        )
        # Accountant with the billing right but no helpdesk role.
        cls.biller = cls._new_user(
            "hcb_biller",
            "account.group_account_invoice,helpdesk_case_billing.group_case_billing",
        )

    def _billed_case(self, **kwargs):
        ticket = self._create_case(**kwargs)
        invoice = self._create_invoice()
        invoice.action_add_helpdesk_cases([ticket.id])
        return ticket, invoice

    # --- locking --------------------------------------------------------------

    def test_invoiced_case_cannot_be_reopened(self):
        ticket, invoice = self._billed_case()
        for stage in (self.stage_new, self.stage_in_progress):
            with self.subTest(stage=stage.name), self.assertRaises(UserError) as caught:
                ticket.stage_id = stage
            self.assertEqual(
                str(caught.exception),
                f"Case {ticket.number} is invoiced on {invoice.display_name}: it cannot "
                f"be moved back to the open stage {stage.name}. Cancel the invoice or "
                "remove the case's line first.",
            )
        self.assertEqual(ticket.stage_id, self.stage_done)
        # Another closed stage is fine.
        rejected = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_rejected")
        ticket.stage_id = rejected
        self.assertEqual(ticket.stage_id, rejected)
        # Once the invoice is cancelled the case can be reopened.
        invoice.button_cancel()
        ticket.stage_id = self.stage_in_progress
        self.assertEqual(ticket.stage_id, self.stage_in_progress)

    def test_assigning_an_invoiced_case_keeps_its_stage(self):
        # helpdesk_mgmt 19.0.1.1.0 recomputes the stage from the team when a
        # user is assigned, which would reopen the case without a write.
        ticket, invoice = self._billed_case()
        self.team.user_ids |= self.env.user
        ticket.user_id = self.env.user
        ticket.invalidate_recordset()
        self.assertEqual(ticket.user_id, self.env.user)
        self.assertEqual(ticket.stage_id, self.stage_done)
        self.assertEqual(ticket.invoice_id, invoice)

    def test_invoiced_case_team_cannot_change(self):
        ticket, invoice = self._billed_case()
        other_team = self.env["helpdesk.ticket.team"].create(
            {"name": "Other", "company_id": self.company.id}
        )
        with self.assertRaisesRegex(UserError, "its team cannot be changed"):
            ticket.team_id = other_team
        self.assertEqual(ticket.stage_id, self.stage_done)

    def test_invoiced_case_timesheets_are_locked(self):
        ticket, invoice = self._billed_case(minutes=(20,))
        line = ticket.timesheet_ids
        expected = (
            f"Case {ticket.number} is invoiced on {invoice.display_name}: its timesheets "
            "cannot be created, changed or deleted any more."
        )
        with self.assertRaises(UserError) as caught:
            self._log_time(ticket, 10)
        self.assertIn(expected, str(caught.exception))
        with self.assertRaisesRegex(UserError, "its timesheets cannot be created, changed"):
            line.unit_amount = 2.0
        with self.assertRaisesRegex(UserError, "its timesheets cannot be created, changed"):
            line.name = "Changed"
        # Marking the time not billable would change what the invoice bills.
        with self.assertRaisesRegex(UserError, "its timesheets cannot be created, changed"):
            line.case_billable = False
        with self.assertRaisesRegex(UserError, "its timesheets cannot be created, changed"):
            line.unlink()
        # Moving another case's line onto the invoiced case is refused too.
        other = self._create_case(name="Other", minutes=(5,))
        with self.assertRaisesRegex(UserError, "its timesheets cannot be created, changed"):
            other.timesheet_ids.ticket_id = ticket
        self.assertTrue(line.exists())
        self.assertAlmostEqual(line.unit_amount, 20 / 60)
        self.assertEqual(ticket.billing_units, 2)
        # Unlocked once the invoice is cancelled.
        invoice.button_cancel()
        line.unit_amount = 0.5
        self.assertEqual(ticket.billing_units, 2)
        line.unlink()
        self.assertFalse(ticket.timesheet_ids)

    def test_invoiced_case_cannot_be_deleted(self):
        ticket, invoice = self._billed_case()
        with self.assertRaisesRegex(UserError, "it cannot be deleted"):
            ticket.unlink()

    def test_invoiced_status_follows_the_invoice(self):
        ticket, invoice = self._billed_case()
        with self.assertRaisesRegex(UserError, "its financial status follows the invoice"):
            ticket.billing_status_id = self.status_billable
        self.assertEqual(ticket.billing_status_id, self.status_invoiced)

    # --- rights -----------------------------------------------------------------

    def test_status_change_needs_the_billing_group(self):
        ticket = self._create_case()
        as_user = ticket.with_user(self.no_billing_user)
        self.assertEqual(as_user.billing_status_id, self.status_billable, "they can read it")
        with self.assertRaisesRegex(AccessError, "Helpdesk: bill cases"):
            as_user.write({"billing_status_id": self.status_not_billable.id})
        self.assertEqual(ticket.billing_status_id, self.status_billable)
        # Saving a form with an unchanged status is no change.
        as_user.write({"billing_status_id": self.status_billable.id, "name": "Renamed"})
        self.assertEqual(ticket.name, "Renamed")
        # A billing user may change it.
        ticket.with_user(self.biller).billing_status_id = self.status_not_billable
        self.assertEqual(ticket.billing_status_id, self.status_not_billable)

    def test_team_default_status_is_no_choice(self):
        other_team = self.env["helpdesk.ticket.team"].create(
            {
                "name": "Projects",
                "company_id": self.company.id,
                "case_billing_default_status_id": self.status_not_billable.id,
            }
        )
        ticket = self._create_case(closed=False)
        as_user = ticket.with_user(self.no_billing_user)
        # What the form sends after the team onchange.
        as_user.write(
            {"team_id": other_team.id, "billing_status_id": self.status_not_billable.id}
        )
        self.assertEqual(ticket.billing_status_id, self.status_not_billable)
        as_user.write({"team_id": self.team.id})
        self.assertEqual(ticket.billing_status_id, self.status_billable)
        Ticket = self.env["helpdesk.ticket"].with_user(self.no_billing_user)
        new = Ticket.create(
            {
                "name": "From the form",
                "description": "x",
                "team_id": other_team.id,
                "billing_status_id": self.status_not_billable.id,
            }
        )
        self.assertEqual(new.billing_status_id, self.status_not_billable)
        with self.assertRaises(AccessError):
            Ticket.create(
                {
                    "name": "Chosen status",
                    "description": "x",
                    "team_id": self.team.id,
                    "billing_status_id": self.status_not_billable.id,
                }
            )

    def test_billing_needs_the_billing_group(self):
        ticket = self._create_case()
        invoice = self._create_invoice()
        with self.assertRaisesRegex(AccessError, "Helpdesk: bill cases"):
            invoice.with_user(self.no_billing_user).action_add_helpdesk_cases([ticket.id])
        with self.assertRaisesRegex(AccessError, "Helpdesk: bill cases"):
            ticket.with_user(self.no_billing_user).action_create_invoices()
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            self.env["account.move.line"].with_user(self.no_billing_user).create(
                {
                    "move_id": invoice.id,
                    "product_id": self.product_hour.id,
                    "helpdesk_ticket_id": ticket.id,
                }
            )
        self.assertFalse(invoice.invoice_line_ids)
        self.assertTrue(ticket.is_billable_now)

    def test_accountant_with_billing_group_bills_without_helpdesk_role(self):
        ticket = self._create_case()
        Ticket = self.env["helpdesk.ticket"].with_user(self.biller)
        rows = Ticket.search_read(
            [
                ("is_billable_now", "=", True),
                ("partner_id", "child_of", self.customer.id),
            ],
            [
                "number", "name", "team_id", "closed_date", "billing_duration_hours",
                "billing_units", "billing_amount_estimate", "is_billable_now",
                "billing_blockers",
            ],
        )
        self.assertEqual([row["id"] for row in rows], ticket.ids)
        self.assertEqual(rows[0]["billing_units"], 2)
        invoice = self._create_invoice().with_user(self.biller)
        result = invoice.action_add_helpdesk_cases([ticket.id])
        self.assertEqual(result["case_count"], 1)
        self.assertEqual(ticket.invoice_id, invoice)

    def test_accountant_without_billing_group_cancels(self):
        ticket, invoice = self._billed_case()
        invoice.with_user(self.no_billing_user).button_cancel()
        self.assertEqual(ticket.billing_status_id, self.status_billable)
        self.assertFalse(ticket.invoice_id)
        invoice.with_user(self.no_billing_user).button_draft()
        self.assertEqual(ticket.billing_status_id, self.status_invoiced)
        invoice.with_user(self.no_billing_user).invoice_line_ids.filtered(
            "helpdesk_ticket_id"
        ).unlink()
        self.assertEqual(ticket.billing_status_id, self.status_billable)

    def test_helpdesk_agent_without_accounting_rights(self):
        agent = self._new_user("hcb_agent", "helpdesk_mgmt.group_helpdesk_manager")
        ticket, invoice = self._billed_case()
        as_agent = ticket.with_user(agent)
        # What the ticket form and the status widget load.
        [values] = as_agent.web_read(
            {
                "billing_status_id": {"fields": {"display_name": {}}},
                "invoice_id": {"fields": {"display_name": {}}},
                "billing_blockers": {},
                "billing_kind": {},
            }
        )
        self.assertEqual(values["invoice_id"], {"id": invoice.id, "display_name": invoice.display_name})
        self.assertEqual(values["billing_status_id"]["display_name"], "Invoiced")
        self.assertEqual(values["billing_blockers"], f"Already invoiced on {invoice.display_name}.")
        with self.assertRaisesRegex(UserError, f"is invoiced on {invoice.display_name}"):
            as_agent.stage_id = self.stage_new
        with self.assertRaisesRegex(UserError, "it cannot be deleted"):
            as_agent.unlink()
        other = self._create_case(name="Not billed", minutes=())
        other.with_user(agent).unlink()
        self.assertFalse(other.exists())

    def test_billing_group_is_implied_by_accounting_administrator(self):
        group = self.env.ref("helpdesk_case_billing.group_case_billing")
        manager = self._new_user("hcb_account_admin", "account.group_account_manager")
        self.assertIn(group, manager.all_group_ids)
        self.assertNotIn(group, self.no_billing_user.all_group_ids)

    # --- multi-company ------------------------------------------------------------

    def test_multi_company_isolation(self):
        company_2 = self.setup_other_company(name="Other company")["company"]
        Team2 = self.env["helpdesk.ticket.team"].with_company(company_2)
        team_2 = Team2.create(
            {
                "name": "Support 2",
                "company_id": company_2.id,
                "case_billing_enabled": True,
                "case_billing_mode": "fixed",
            }
        )
        ticket_2 = (
            self.env["helpdesk.ticket"]
            .with_company(company_2)
            .create(
                {
                    "name": "Other company case",
                    "description": "x",
                    "partner_id": self.contact.id,
                    "team_id": team_2.id,
                    "solution": "<p>Done</p>",
                }
            )
        )
        ticket_2.stage_id = self.stage_done
        self.assertEqual(ticket_2.company_id, company_2)
        self.assertTrue(ticket_2.is_billable_now)
        invoice_2 = self._create_invoice(company=company_2)
        ticket_1 = self._create_case()
        invoice_1 = self._create_invoice()

        # A biller of the first company reaches nothing of the second one.
        Ticket = self.env["helpdesk.ticket"].with_user(self.biller)
        found = Ticket.search([("is_billable_now", "=", True)])
        self.assertIn(ticket_1, found)
        self.assertNotIn(ticket_2, found)
        with self.assertRaises(AccessError):
            ticket_2.with_user(self.biller).read(["name"])
        self.assertFalse(
            self.env["account.move"].with_user(self.biller).search([("id", "=", invoice_2.id)])
        )
        with self.assertRaises(AccessError):
            invoice_1.with_user(self.biller).action_add_helpdesk_cases([ticket_2.id])

        # A user of both companies is refused a case of another company.
        both = (self.company | company_2).ids
        with self.assertRaises(UserError) as caught:
            invoice_1.with_context(allowed_company_ids=both).action_add_helpdesk_cases(
                [ticket_2.id]
            )
        self.assertIn(
            f"The case belongs to company Other company, the invoice to {self.company.name}.",
            str(caught.exception),
        )
        self.assertFalse(invoice_1.invoice_line_ids)
        # In its own company it is billed.
        invoice_2.action_add_helpdesk_cases([ticket_2.id])
        self.assertEqual(ticket_2.invoice_id, invoice_2)
