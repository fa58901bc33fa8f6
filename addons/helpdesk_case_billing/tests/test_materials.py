# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CaseBillingCommon
from .test_billing_run import BillingRunCommon

BEFORE = date(2029, 12, 31)
AFTER = date(2030, 1, 1)


class MaterialsCommon(CaseBillingCommon):
    """A toner cartridge at 49.90 with a 21 % tax, and a customer whose
    pricelist sells it at 45.00 from 1 January 2030 and at 42.50 from 3
    cartridges on; the work hour has no rule (80.00 an hour)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tax_sale_a.amount = 21.0
        cls.toner = cls.env["product.product"].create(
            {
                "name": "Toner cartridge",
                "type": "consu",
                "lst_price": 49.90,
                "taxes_id": [Command.set(cls.tax_sale_a.ids)],
            }
        )
        cls.pricelist = cls._customer_pricelist(
            {
                "applied_on": "0_product_variant",
                "product_id": cls.toner.id,
                "compute_price": "fixed",
                "fixed_price": 45.0,
                # Noon UTC: that day in any time zone.
                "date_start": datetime(2030, 1, 1, 12, 0),
            }
        )
        cls.pricelist.item_ids = [
            Command.create(
                {
                    "applied_on": "0_product_variant",
                    "product_id": cls.toner.id,
                    "compute_price": "fixed",
                    "fixed_price": 42.5,
                    "min_quantity": 3.0,
                }
            )
        ]

    @classmethod
    def _add_material(cls, ticket, quantity, product=None, **values):
        return cls.env["helpdesk.ticket.material"].create(
            {
                "ticket_id": ticket.id,
                "product_id": (product or cls.toner).id,
                "quantity": quantity,
                **values,
            }
        )

    def _case_with_materials(self, name="Printer down", minutes=(20,), quantities=(2,)):
        # The materials are recorded before the case is closed, as agents do.
        case = self._create_case(name=name, minutes=minutes, closed=False, solution=None)
        for quantity in quantities:
            self._add_material(case, quantity)
        case.write({"solution": "<p>Replaced the toner.</p>", "stage_id": self.stage_done.id})
        return case

    def _invoice(self, day, partner=None):
        invoice = self._create_invoice(partner=partner)
        invoice.invoice_date = day
        return invoice


@tagged("post_install", "-at_install")
class TestMaterials(MaterialsCommon):
    def test_material_lines_at_the_customer_price_with_taxes(self):
        # 20 minutes: 2 units of 15 minutes at 80.00 an hour, 40.00. The
        # toner: 2 cartridges at the product's 49.90 before the dated rule,
        # 45.00 from its date; 3 cartridges at 42.50 whatever the date.
        for day, amounts, tax in (
            (BEFORE, [40.0, 99.80, 127.50], 56.13),
            (AFTER, [40.0, 90.00, 127.50], 54.08),
        ):
            with self.subTest(day=day):
                case = self._case_with_materials(name=f"Printer {day}", quantities=(2, 3))
                invoice = self._invoice(day)
                grid = {row["id"]: row for row in self._load_grid(invoice)}
                result = invoice.action_add_helpdesk_cases(case.ids)
                lines = case.invoice_line_ids.sorted("id")
                self.assertEqual(lines.move_id, invoice)
                self.assertEqual(lines.mapped("price_subtotal"), amounts)
                time_line, two, three = lines
                self.assertFalse(time_line.helpdesk_material_id)
                self.assertEqual(
                    (two | three).helpdesk_material_id, case.material_ids, "one line per material"
                )
                # Described as Odoo describes a product's line: the product, then the case.
                self.assertEqual(two.name, f"Toner cartridge\n{case.number} - {case.name}")
                self.assertEqual((two.product_id, two.quantity), (self.toner, 2.0))
                self.assertEqual(two.product_uom_id, self.toner.uom_id)
                self.assertEqual(two.price_unit, 49.90 if day == BEFORE else 45.0)
                self.assertEqual((three.quantity, three.price_unit), (3.0, 42.5))
                self.assertEqual(two.tax_ids, self.tax_sale_a)
                # Taxes to the cent: 21 % of the untaxed amount, rounded once
                # (the company's default, *Round per Tax*).
                self.assertAlmostEqual(invoice.amount_untaxed, sum(amounts), places=2)
                self.assertAlmostEqual(invoice.amount_tax, tax, places=2)
                self.assertAlmostEqual(invoice.amount_total, sum(amounts) + tax, places=2)
                # The grid showed the invoice's amount before adding, to the cent.
                self.assertEqual(grid[case.id]["billing_amount_estimate"], invoice.amount_untaxed)
                self.assertEqual(result["amount"], invoice.amount_untaxed)
                self.assertEqual(case.invoice_id, invoice)

    def test_material_described_and_in_another_unit(self):
        dozen = self.env.ref("uom.product_uom_dozen")
        self.toner.uom_ids = [Command.link(dozen.id)]
        case = self._create_case(name="Paper", closed=False, solution=None)
        material = self._add_material(case, 1, name="Toner, black, high yield")
        self.assertEqual(material.product_uom_id, self.toner.uom_id, "the product's unit")
        material.product_uom_id = dozen
        case.write({"solution": "<p>Done.</p>", "stage_id": self.stage_done.id})
        invoice = self._invoice(BEFORE)
        grid = {row["id"]: row for row in self._load_grid(invoice)}
        invoice.action_add_helpdesk_cases(case.ids)
        line = case.invoice_line_ids.filtered("helpdesk_material_id")
        self.assertEqual(line.name, f"Toner cartridge\nToner, black, high yield\n{case.number} - Paper")
        # A dozen is 12 cartridges: the 3-cartridge price, 12 × 42.50.
        self.assertEqual((line.product_uom_id, line.price_unit), (dozen, 510.0))
        self.assertEqual(grid[case.id]["billing_amount_estimate"], 40.0 + 510.0)
        self.assertEqual(invoice.amount_untaxed, 550.0)

    def test_create_invoices_bills_materials_on_the_same_invoice(self):
        case = self._case_with_materials(quantities=(2,))
        other = self._create_case(name="Mail down", minutes=(7,))
        (case | other).action_create_invoices()
        invoice = case.invoice_id
        self.assertEqual(other.invoice_id, invoice, "one invoice for the customer")
        # Today, before the dated rule: 2 × 49.90.
        self.assertLess(fields.Date.today(), AFTER)
        self.assertEqual(
            sorted(invoice.invoice_line_ids.mapped("price_subtotal")), [20.0, 40.0, 99.8]
        )
        self.assertEqual(invoice.amount_untaxed, 159.8)

    def test_materials_lock_with_the_case(self):
        case = self._case_with_materials(quantities=(2,))
        material = case.material_ids
        invoice = self._invoice(AFTER)
        invoice.action_add_helpdesk_cases(case.ids)
        agent = self._new_user(
            "material_agent", "base.group_user,helpdesk_mgmt.group_helpdesk_user"
        )
        for env in (self.env, self.env(user=agent)):
            with self.subTest(user=env.user.login):
                with self.assertRaisesRegex(UserError, "its materials cannot be added"):
                    material.with_env(env).quantity = 5
                with self.assertRaisesRegex(UserError, "its materials cannot be added"):
                    material.with_env(env).unlink()
                with self.assertRaisesRegex(UserError, "its materials cannot be added"):
                    self._add_material(case.with_env(env), 1)
                with self.assertRaisesRegex(UserError, "its materials cannot be added"):
                    case.with_env(env).material_ids = [Command.create({"product_id": self.toner.id})]
        self.assertEqual(material.quantity, 2.0)
        # A cancelled invoice frees the case and its materials.
        invoice.button_cancel()
        self.assertFalse(case.invoice_id)
        material.quantity = 5
        self.assertEqual(material.quantity, 5.0)

    def test_credit_note_keeps_the_material_and_frees_the_case(self):
        case = self._case_with_materials(quantities=(2,))
        invoice = self._invoice(AFTER)
        invoice.action_add_helpdesk_cases(case.ids)
        invoice.action_post()
        credit = invoice._reverse_moves()
        credit.action_post()
        material_line = credit.invoice_line_ids.filtered("helpdesk_material_id")
        self.assertEqual(material_line.helpdesk_material_id, case.material_ids)
        self.assertEqual(material_line.helpdesk_ticket_id, case)
        self.assertEqual(credit.amount_untaxed, invoice.amount_untaxed)
        self.assertFalse(case.invoice_id, "credited in full: billable again")
        self.assertTrue(case.is_billable_now)
        case.material_ids.quantity = 1

    def test_material_link_is_set_by_billing_only(self):
        case = self._case_with_materials(quantities=(2,))
        invoice = self._invoice(AFTER)
        invoice.action_add_helpdesk_cases(case.ids)
        time_line = case.invoice_line_ids.filtered(lambda line: not line.helpdesk_material_id)
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            time_line.helpdesk_material_id = case.material_ids
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            invoice.invoice_line_ids = [
                Command.create({"product_id": self.toner.id, "helpdesk_material_id": case.material_ids.id})
            ]

    def test_case_with_materials_and_no_time(self):
        # In time mode a case is billed for its time: materials alone do not
        # make it billable. Its materials count in the unbilled revenue.
        case = self._case_with_materials(minutes=(), quantities=(3,))
        self.assertFalse(case.is_billable_now)
        self.assertEqual(case.billing_block_reason, "no_time")
        self.assertEqual(case.billing_amount_estimate, 127.5)
        self.assertEqual(case.billing_amount_unbilled, 127.5)
        # A flat-rate team bills it: one flat rate and its materials.
        self.team.case_billing_mode = "fixed"
        self.assertTrue(case.is_billable_now)
        invoice = self._invoice(AFTER)
        invoice.action_add_helpdesk_cases(case.ids)
        self.assertEqual(
            sorted(case.invoice_line_ids.mapped("price_subtotal")), [80.0, 127.5]
        )

    def test_unbilled_revenue_includes_materials(self):
        # Today, before the dated rule: 40.00 of time and 2 × 49.90.
        case = self._case_with_materials(quantities=(2,))
        self.assertEqual(case.billing_amount_unbilled, 139.8)
        material = case.material_ids
        material.quantity = 3
        self.assertEqual(case.billing_amount_unbilled, 40.0 + 127.5)
        self._add_material(case, 1)
        self.assertEqual(case.billing_amount_unbilled, 40.0 + 127.5 + 49.9)
        material.unlink()
        self.assertEqual(case.billing_amount_unbilled, 40.0 + 49.9)
        invoice = self._invoice(AFTER)
        invoice.action_add_helpdesk_cases(case.ids)
        self.assertEqual(case.billing_amount_unbilled, 0.0)
        # The report reads the stored amount.
        row = self.env["helpdesk.ticket"].search_read(
            [("id", "=", case.id)], ["billing_amount_unbilled"]
        )
        self.assertEqual(row[0]["billing_amount_unbilled"], 0.0)

    def test_billed_cases_report_rows(self):
        case = self._case_with_materials(quantities=(2,))
        invoice = self._invoice(AFTER)
        invoice.action_add_helpdesk_cases(case.ids)
        rows = self.env["helpdesk.case.billing.report"].search([("ticket_id", "=", case.id)])
        time_row = rows.filtered(lambda row: not row.material_id)
        material_row = rows - time_row
        self.assertEqual(
            (time_row.billed_as, time_row.billed_hours, time_row.amount_untaxed),
            ("2 × 15 min", 0.5, 40.0),
        )
        # A material bills no time: its quantity and unit, and its amount.
        self.assertEqual(material_row.material_id, case.material_ids)
        self.assertEqual(
            (material_row.billed_as, material_row.billed_hours, material_row.amount_untaxed),
            (f"2 {self.toner.uom_id.name}", 0.0, 90.0),
        )

    def test_rights(self):
        agent = self._new_user("material_own", "base.group_user,helpdesk_mgmt.group_helpdesk_user_own")
        self.team.user_ids = [Command.link(agent.id)]
        mine = self._create_case(name="Mine", closed=False, user_id=agent.id)
        theirs = self._create_case(name="Theirs", closed=False, user_id=self.env.user.id)
        Material = self.env["helpdesk.ticket.material"].with_user(agent)
        material = Material.create({"ticket_id": mine.id, "product_id": self.toner.id})
        material.quantity = 2
        self._add_material(theirs, 1)
        self.assertEqual(Material.search([("ticket_id", "in", (mine | theirs).ids)]), material)
        # The billing right without a helpdesk role reads, and changes nothing.
        biller = self._new_user("material_biller", "base.group_user,helpdesk_case_billing.group_case_billing")
        as_biller = material.with_user(biller)
        self.assertEqual(as_biller.quantity, 2.0)
        with self.assertRaises(AccessError):
            as_biller.quantity = 3


@tagged("post_install", "-at_install")
class TestMaterialsInBillingRuns(BillingRunCommon, MaterialsCommon):
    def test_preview_amount_is_the_invoice_with_materials(self):
        case = self.cases_acme[0]
        # Recorded on the closed case (not invoiced yet): 3 × 42.50.
        self._add_material(case, 3)
        run = self._new_run(invoice_date=AFTER)
        run.action_preview()
        acme = run.line_ids.filtered(lambda line: line.partner_id == self.customer)
        preview = (acme.amount_untaxed, acme.amount_tax, acme.amount_total)
        case_amount = run.case_ids.filtered(lambda c: c.ticket_id == case).amount_untaxed
        # 20 min and 7 min at 80.00 an hour (40.00 + 20.00), and 127.50.
        # 21 % of 187.50 is 39.375, rounded once per tax: 39.38.
        self.assertEqual(preview, (187.5, 39.38, 226.88))
        self.assertEqual(case_amount, 167.5)
        run.action_start()
        self._process()
        invoice = case.invoice_id
        self.assertEqual(
            (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total), preview
        )
        self.assertEqual(
            sum(case.invoice_line_ids.mapped("price_subtotal")), case_amount
        )
        self.assertEqual(case.invoice_line_ids.helpdesk_material_id, case.material_ids)
