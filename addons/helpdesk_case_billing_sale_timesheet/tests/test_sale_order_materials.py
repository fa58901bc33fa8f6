# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.modules.module import load_script
from odoo.tests import tagged
from odoo.tools import file_path

from .common import SaleOrderHoursCommon


@tagged("post_install", "-at_install")
class TestSaleOrderMaterials(SaleOrderHoursCommon):
    """Materials of a case billed through a sales order are items of that
    order, invoiced with the case's time on the order's invoice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.toner = cls.env["product.product"].create(
            {
                "name": "Toner cartridge",
                "type": "consu",
                "invoice_policy": "delivery",
                "lst_price": 49.90,
            }
        )
        cls.agent = cls._new_user(
            "hd_agent_materials",
            "helpdesk_mgmt.group_helpdesk_user,hr_timesheet.group_hr_timesheet_user",
        )

    def _material(self, ticket, quantity, user=None, **values):
        Material = self.env["helpdesk.ticket.material"]
        if user:
            Material = Material.with_user(user)
        return Material.create(
            {"ticket_id": ticket.id, "product_id": self.toner.id, "quantity": quantity, **values}
        )

    def test_materials_are_invoiced_with_the_period_on_the_order(self):
        line = self._order(self.postpaid_hours, qty=0.0)
        order = line.order_id
        ticket = self._ticket(sale_line_id=line.id)
        self._log(ticket, 1.5, date(2026, 1, 10))
        # An agent records what was used, without any right on sales orders.
        material = self._material(ticket, 2, user=self.agent)
        item = material.sale_line_id
        self.assertEqual(item.order_id, order, "an item of the case's order")
        # Described as Odoo describes items: the product, then the case.
        self.assertEqual(item.name, f"Toner cartridge\n{ticket.number} - VPN drops")
        self.assertEqual(material.sale_order_id, order)
        self.assertEqual((item.product_uom_qty, item.qty_delivered), (2.0, 2.0))
        # Odoo prices it as it prices any item of the order.
        by_hand = self.env["sale.order.line"].new(
            {"order_id": order.id, "product_id": self.toner.id, "product_uom_qty": 2.0}
        )
        self.assertEqual(item.price_unit, by_hand.price_unit)
        self.assertEqual(item.price_subtotal, 99.80)
        # 1.5 h at 100.00 and two cartridges at 49.90.
        self.assertEqual(ticket.billing_amount_unbilled, 249.80)

        # Changed before it is invoiced: the item follows.
        material.quantity = 3
        self.assertEqual((item.product_uom_qty, item.qty_delivered), (3.0, 3.0))
        self.assertEqual(item.price_subtotal, 149.70)
        self.assertEqual(ticket.billing_amount_unbilled, 299.70)

        invoice = self._invoice_period(order, date(2026, 1, 1), date(2026, 1, 31))
        self.assertEqual(len(invoice), 1)
        by_product = {
            inv_line.product_id: inv_line.price_subtotal for inv_line in invoice.invoice_line_ids
        }
        self.assertEqual(by_product, {self.postpaid_hours: 150.0, self.toner: 149.70})
        self.assertEqual(invoice.amount_untaxed, 299.70)
        self.assertTrue(material.sale_line_invoiced)
        self.assertEqual(ticket.billing_amount_unbilled, 0.0)

        # Invoiced: the material says what was billed.
        with self.assertRaisesRegex(UserError, "invoiced through sales order"):
            material.with_user(self.agent).quantity = 4
        with self.assertRaisesRegex(UserError, "invoiced through sales order"):
            material.unlink()
        self.assertEqual(item.product_uom_qty, 3.0)
        # What was used since is a new item, for the next invoice.
        later = self._material(ticket, 1)
        self.assertNotEqual(later.sale_line_id, item)
        self.assertEqual(later.sale_line_id.order_id, order)
        self.assertEqual(ticket.billing_amount_unbilled, 49.90)

        # A cancelled invoice gives the material back to be invoiced again.
        invoice.button_cancel()
        self.assertFalse(material.sale_line_invoiced)
        material.quantity = 1
        self.assertEqual(item.product_uom_qty, 1.0)
        self.assertEqual(ticket.billing_amount_unbilled, 150.0 + 49.90 + 49.90)

    def test_a_credit_note_from_the_order_gives_the_material_back(self):
        line = self._order(self.postpaid_hours, qty=0.0)
        ticket = self._ticket(sale_line_id=line.id)
        material = self._material(ticket, 2)
        invoice = line.order_id._create_invoices()
        invoice.action_post()
        self.assertTrue(material.sale_line_invoiced)
        self.assertEqual(ticket.billing_amount_unbilled, 0.0)
        # A partial credit note leaves it billed.
        partial = invoice._reverse_moves()
        partial.invoice_line_ids.quantity = 1
        partial.action_post()
        self.assertEqual(material.sale_line_id.qty_invoiced, 1.0)
        self.assertTrue(material.sale_line_invoiced)
        with self.assertRaisesRegex(UserError, "invoiced through sales order"):
            material.quantity = 1
        # Credited in full: the order invoices it again, and it may change.
        rest = invoice._reverse_moves()
        rest.invoice_line_ids.quantity = 1
        rest.action_post()
        self.assertFalse(material.sale_line_invoiced)
        self.assertEqual(ticket.billing_amount_unbilled, 99.80)
        material.quantity = 3
        again = line.order_id._create_invoices()
        self.assertEqual(again.invoice_line_ids.quantity, 3.0)
        self.assertEqual(again.amount_untaxed, 149.70)

    def test_a_material_removed_after_a_full_credit_note_is_not_invoiced_again(self):
        line = self._order(self.postpaid_hours, qty=0.0)
        ticket = self._ticket(sale_line_id=line.id)
        material = self._material(ticket, 2)
        item = material.sale_line_id
        invoice = line.order_id._create_invoices()
        invoice.action_post()
        invoice._reverse_moves().action_post()
        self.assertFalse(material.sale_line_invoiced)
        material.unlink()
        # Nothing left for the order to invoice, though the item has invoice lines.
        self.assertEqual((item.product_uom_qty, item.qty_delivered, item.qty_to_invoice), (0.0, 0.0, 0.0))
        self.assertEqual(ticket.billing_amount_unbilled, 0.0)

    def test_prepaid_order_bills_the_materials_it_did_not_sell(self):
        line = self._order(self.prepaid_hours, qty=5.0)
        order = line.order_id
        order._create_invoices()
        ticket = self._create_case(minutes=(90,))
        self.assertEqual(ticket.sale_line_id, line)
        self.assertEqual(ticket.billing_amount_unbilled, 0.0, "the hours were sold and invoiced")
        material = self._material(ticket, 2)
        self.assertEqual(material.sale_line_id.order_id, order)
        self.assertEqual(order.invoice_status, "to invoice")
        self.assertEqual(ticket.billing_amount_unbilled, 99.80)
        invoice = order._create_invoices()
        self.assertEqual(invoice.invoice_line_ids.product_id, self.toner, "only the materials")
        self.assertEqual(invoice.amount_untaxed, 99.80)

    def test_order_prices_the_materials_with_its_pricelist(self):
        pricelist = self._customer_pricelist(
            {
                "applied_on": "0_product_variant",
                "product_id": self.toner.id,
                "compute_price": "fixed",
                "fixed_price": 42.5,
                "min_quantity": 3.0,
            }
        )
        line = self._order(self.postpaid_hours, qty=0.0)
        self.assertEqual(line.order_id.pricelist_id, pricelist)
        ticket = self._ticket(sale_line_id=line.id)
        material = self._material(ticket, 2)
        self.assertEqual(material.sale_line_id.price_unit, 49.90, "below the minimum quantity")
        material.quantity = 3
        # As for any item: Odoo prices a quantity change of a confirmed order's item.
        by_hand = self.env["sale.order.line"].create(
            {"order_id": line.order_id.id, "product_id": self.toner.id, "product_uom_qty": 2.0}
        )
        by_hand.product_uom_qty = 3.0
        self.assertEqual(material.sale_line_id.price_unit, by_hand.price_unit)
        self.assertEqual(material.sale_line_id.price_unit, 42.5, "the rule from 3 cartridges")
        self.assertEqual(material.sale_line_id.price_subtotal, by_hand.price_subtotal)

    def test_materials_follow_the_case_off_its_order(self):
        line = self._order(self.postpaid_hours, qty=0.0)
        ticket = self._create_case(minutes=(30,), sale_line_id=line.id)
        material = self._material(ticket, 2)
        item = material.sale_line_id
        removed = self._material(ticket, 5)
        removed_item = removed.sale_line_id
        removed.unlink()
        # A confirmed order keeps its item, with nothing left to invoice.
        self.assertEqual((removed_item.product_uom_qty, removed_item.qty_delivered), (0.0, 0.0))
        self.assertEqual(ticket.billing_amount_unbilled, 50.0 + 99.80)

        # Off the order, the case bills its materials itself, once.
        ticket.sale_line_id = False
        self.assertFalse(material.sale_line_id)
        self.assertEqual((item.product_uom_qty, item.qty_delivered), (0.0, 0.0))
        self.assertFalse(any(line.order_id.order_line.mapped("qty_to_invoice")))
        self.assertTrue(ticket.is_billable_now)
        invoice = self._create_invoice()
        invoice.action_add_helpdesk_cases([ticket.id])
        material_line = invoice.invoice_line_ids.filtered("helpdesk_material_id")
        self.assertEqual(material_line.price_subtotal, 99.80)

    def test_materials_recorded_before_the_order_go_on_it(self):
        ticket = self._create_case(minutes=(30,), closed=False)
        material = self._material(ticket, 1)
        self.assertFalse(material.sale_line_id)
        line = self._order(self.postpaid_hours, qty=0.0)
        ticket.sale_line_id = line
        self.assertEqual(material.sale_line_id.order_id, line.order_id)
        self.assertEqual(material.sale_line_id.qty_delivered, 1.0)
        self.assertEqual(
            line.order_id.order_line.mapped("product_id"), self.postpaid_hours | self.toner
        )
        self.assertEqual(
            line.order_id.order_line.filtered(lambda item: item.product_id == self.toner).ids,
            material.sale_line_id.ids,
            "one item per material",
        )

    def test_upgrade_puts_earlier_materials_on_their_orders(self):
        line = self._order(self.postpaid_hours, qty=0.0)
        ticket = self._ticket(sale_line_id=line.id)
        # Recorded before the order took materials: written as the module did then.
        self.env.cr.execute(
            """
            INSERT INTO helpdesk_ticket_material
                   (ticket_id, company_id, sequence, product_id, quantity, product_uom_id)
            VALUES (%s, %s, 10, %s, 2, %s)
            RETURNING id
            """,
            [ticket.id, ticket.company_id.id, self.toner.id, self.toner.uom_id.id],
        )
        material = self.env["helpdesk.ticket.material"].browse(self.env.cr.fetchone()[0])
        ticket.invalidate_recordset(["material_ids"])
        self.assertFalse(material.sale_line_id)
        path = file_path(
            "helpdesk_case_billing_sale_timesheet/migrations/19.0.2.1.0/post-migrate.py"
        )
        migration = load_script(path, "sale_timesheet_post_migrate_19_0_2_1_0")
        migration.migrate(self.env.cr, "19.0.2.0.0")
        self.assertEqual(material.sale_line_id.order_id, line.order_id)
        self.assertEqual(material.sale_line_id.price_subtotal, 99.80)
        # Run twice, it adds nothing.
        migration.migrate(self.env.cr, "19.0.2.0.0")
        self.assertEqual(len(line.order_id.order_line), 2)

    def test_a_client_cannot_point_a_material_at_an_order_item(self):
        line = self._order(self.postpaid_hours, qty=0.0)
        ticket = self._ticket(sale_line_id=line.id)
        material = self._material(ticket, 2)
        item = material.sale_line_id
        foreign = self._order(self.units_service, qty=5.0, partner=self.other_customer)
        biller = self._new_user(
            "hd_biller_materials",
            "helpdesk_mgmt.group_helpdesk_user,helpdesk_case_billing.group_case_billing,"
            "account.group_account_invoice,sales_team.group_sale_manager",
        )
        for user in (self.agent, biller):
            Material = self.env["helpdesk.ticket.material"].with_user(user)
            with self.assertRaisesRegex(AccessError, "cannot be written directly"):
                Material.browse(material.id).write({"sale_line_id": foreign.id})
            with self.assertRaisesRegex(AccessError, "cannot be written directly"):
                Material.create(
                    {
                        "ticket_id": ticket.id,
                        "product_id": self.toner.id,
                        "quantity": 1,
                        "sale_line_id": foreign.id,
                    }
                )
        # Nothing changed: the material's item, nor the other customer's.
        self.assertEqual(material.sale_line_id, item)
        self.assertEqual(foreign.product_uom_qty, 5.0)
        self.assertEqual(len(ticket.material_ids), 1)
        # A form sending the value back unchanged is let through.
        material.with_user(self.agent).write({"sale_line_id": item.id, "quantity": 3})
        self.assertEqual(item.product_uom_qty, 3.0)
