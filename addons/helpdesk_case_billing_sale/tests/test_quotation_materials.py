# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.helpdesk_case_billing.tests.common import CaseBillingCommon


@tagged("post_install", "-at_install")
class TestQuotationMaterials(CaseBillingCommon):
    """A quoted case quotes its materials: one order line per material at the
    order's pricelist price; invoicing the order invoices them with the case."""

    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.quick_ref("sales_team.group_sale_manager")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.toner = cls.env["product.product"].create(
            {"name": "Toner cartridge", "type": "consu", "list_price": 49.90, "sale_ok": True}
        )
        cls.pricelist = cls._customer_pricelist(
            {
                "applied_on": "0_product_variant",
                "product_id": cls.toner.id,
                "compute_price": "fixed",
                "fixed_price": 42.5,
                "min_quantity": 3.0,
            }
        )

    def test_materials_are_quoted_and_invoiced_with_the_case(self):
        case = self._create_case(name="Printer down", minutes=(20,), closed=False, solution=None)
        self.env["helpdesk.ticket.material"].create(
            [
                {"ticket_id": case.id, "product_id": self.toner.id, "quantity": 3},
                {"ticket_id": case.id, "product_id": self.toner.id, "quantity": 1, "name": "Spare drum"},
            ]
        )
        case.write({"solution": "<p>Replaced the toner.</p>", "stage_id": self.stage_done.id})
        case.action_create_quotations()
        order = case.quotation_id
        time_line, three, one = order.order_line.sorted("id")
        self.assertEqual(time_line.product_id, self.product_hour)
        self.assertEqual(
            [(line.name, line.product_uom_qty, line.price_unit, line.price_subtotal) for line in (three, one)],
            [
                (f"Toner cartridge\n{case.number} - Printer down", 3.0, 42.5, 127.5),
                (f"Toner cartridge\nSpare drum\n{case.number} - Printer down", 1.0, 49.9, 49.9),
            ],
        )
        self.assertEqual((three | one).helpdesk_ticket_id, case)
        self.assertEqual((three | one).helpdesk_material_id, case.material_ids)
        # 2 units of 15 minutes at 80.00 an hour, and the materials.
        self.assertAlmostEqual(order.amount_untaxed, 40.0 + 127.5 + 49.9)
        self.assertAlmostEqual(case.billing_amount_unbilled, order.amount_untaxed)
        order.action_confirm()
        invoice = order._create_invoices()
        self.assertEqual(case.invoice_id, invoice)
        self.assertAlmostEqual(invoice.amount_untaxed, order.amount_untaxed)
        self.assertEqual(case.billing_amount_unbilled, 0.0)
        # The billed-cases report: the materials bill no time.
        rows = self.env["helpdesk.case.billing.report"].search([("ticket_id", "=", case.id)])
        self.assertEqual(len(rows), 3)
        self.assertEqual(set(rows.mapped("billed_through")), {"quotation"})
        materials = rows.filtered("material_id")
        self.assertEqual(materials.material_id, case.material_ids)
        self.assertEqual(materials.mapped("billed_hours"), [0.0, 0.0])
        self.assertAlmostEqual(sum(materials.mapped("amount_untaxed")), 177.4)
        self.assertEqual((rows - materials).billed_hours, 0.5)
        # Invoiced: the materials are locked with the case.
        with self.assertRaisesRegex(UserError, "its materials cannot be added"):
            case.material_ids[0].quantity = 4
        with self.assertRaisesRegex(UserError, "its materials cannot be added"):
            case.material_ids = [Command.create({"product_id": self.toner.id})]
