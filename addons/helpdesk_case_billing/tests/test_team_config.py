# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from lxml import etree

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import CaseBillingCommon


@tagged("post_install", "-at_install")
class TestTeamConfig(CaseBillingCommon):
    def test_defaults_of_a_new_team(self):
        team = self.env["helpdesk.ticket.team"].create({"name": "New team"})
        self.assertFalse(team.case_billing_enabled, "billing is off by default")
        self.assertEqual(team.case_billing_unit_minutes, 15)
        self.assertEqual(team.case_billing_mode, "time")
        self.assertEqual(team.case_billing_product_id, self.product_hour)
        self.assertEqual(team.case_billing_default_status_id, self.status_billable)
        self.assertEqual(team.case_billing_invoiced_status_id, self.status_invoiced)

    def test_default_product_is_an_hourly_service(self):
        product = self.product_hour
        self.assertEqual(product.name, "Helpdesk work (hour)")
        self.assertEqual(product.type, "service")
        self.assertEqual(product.uom_id, self.env.ref("uom.product_uom_hour"))

    def test_unit_bounds(self):
        for minutes in (1, 1440):
            self.team.case_billing_unit_minutes = minutes
            self.assertEqual(self.team.case_billing_unit_minutes, minutes)
        for minutes in (0, -5, 1441):
            with self.subTest(minutes=minutes), self.assertRaises(ValidationError) as caught:
                self.team.case_billing_unit_minutes = minutes
            self.assertIn("must be between 1 and 1440 minutes", str(caught.exception))
            self.assertIn(str(minutes), str(caught.exception))
        with self.assertRaises(ValidationError):
            self.env["helpdesk.ticket.team"].create(
                {"name": "Bad unit", "case_billing_unit_minutes": 0}
            )

    def test_enabled_team_needs_a_product(self):
        with self.assertRaisesRegex(ValidationError, "choose its billing product"):
            self.team.case_billing_product_id = False

    def test_time_mode_needs_a_time_unit(self):
        unit_product = self._create_product(
            name="Per unit service", type="service", uom_id=self.uom_unit.id
        )
        with self.assertRaisesRegex(ValidationError, "must be a unit of time"):
            self.team.case_billing_product_id = unit_product
        # A flat rate per case is fine with any unit.
        self.team.write({"case_billing_mode": "fixed", "case_billing_product_id": unit_product.id})
        self.assertEqual(self.team.case_billing_product_id, unit_product)

    def test_default_status_cannot_be_billed(self):
        with self.assertRaisesRegex(ValidationError, "cannot be a billed one"):
            self.team.case_billing_default_status_id = self.status_invoiced

    def test_invoiced_status_must_be_billed(self):
        with self.assertRaisesRegex(ValidationError, "must be a billed one"):
            self.team.case_billing_invoiced_status_id = self.status_billable

    def test_fill_defaults_of_existing_teams(self):
        team = self.env["helpdesk.ticket.team"].create({"name": "Old team"})
        team.write(
            {
                "case_billing_product_id": False,
                "case_billing_default_status_id": False,
                "case_billing_invoiced_status_id": False,
            }
        )
        self.env["helpdesk.ticket.team"]._case_billing_fill_defaults()
        self.assertEqual(team.case_billing_product_id, self.product_hour)
        self.assertEqual(team.case_billing_default_status_id, self.status_billable)
        self.assertEqual(team.case_billing_invoiced_status_id, self.status_invoiced)

    def test_quick_created_billing_product_is_sold_by_the_hour(self):
        # As the team form's Billing product field creates it.
        Product = self.env["product.product"].with_context(
            default_type="service", case_billing_product=True
        )
        product_id, _name = Product.name_create("Remote support")
        product = Product.browse(product_id)
        self.assertEqual(product.uom_id, self.env.ref("uom.product_uom_hour"))
        self.assertEqual(product.type, "service")
        team = self.env["helpdesk.ticket.team"].create(
            {"name": "Remote", "case_billing_enabled": True, "case_billing_product_id": product.id}
        )
        self.assertEqual(team.case_billing_product_id, product)
        # Elsewhere products keep Odoo's default unit.
        plain = self.env["product.product"].create({"name": "Cable"})
        self.assertEqual(plain.uom_id, self.env.ref("uom.product_uom_unit"))

    def _team_form_arch(self):
        views = self.env["helpdesk.ticket.team"].get_views([(False, "form")])
        return etree.fromstring(views["views"]["form"]["arch"])

    def test_quick_create_from_the_team_form_makes_an_hourly_service(self):
        # The context the team form's Billing product field gives its quick create.
        (field,) = self._team_form_arch().xpath("//field[@name='case_billing_product_id']")
        context = safe_eval(field.get("context"), {})
        products_before = self.env["product.product"].search_count([])
        Product = self.env["product.product"].with_context(**context)
        product_id, _name = Product.name_create("On-site support")
        product = Product.browse(product_id)
        self.assertEqual(product.type, "service")
        self.assertEqual(product.uom_id, self.env.ref("uom.product_uom_hour"))
        # The team takes it and saves: no product is left behind unused.
        form = Form(self.env["helpdesk.ticket.team"])
        form.name = "On-site"
        form.case_billing_enabled = True
        form.case_billing_product_id = product
        team = form.save()
        self.assertEqual(team.case_billing_product_id, product)
        self.assertEqual(self.env["product.product"].search_count([]), products_before + 1)

    def test_a_product_in_units_is_refused_when_chosen(self):
        unit_product = self._create_product(
            name="Per unit service", type="service", uom_id=self.uom_unit.id
        )
        env = self.env(context=dict(self.env.context, lang="en_US"))
        form = Form(self.team.with_env(env))
        with self.assertLogs("odoo.tests.form.onchange", "WARNING") as logged:
            form.case_billing_product_id = unit_product
        self.assertIn(
            "Team Support bills the time spent: the unit of its billing product "
            "Per unit service must be a unit of time such as Hours, not Units.",
            logged.output[0],
        )
        # A flat rate takes it without a word.
        form.case_billing_mode = "fixed"
        team = form.save()
        self.assertEqual(team.case_billing_product_id, unit_product)

    def test_a_new_team_without_a_name_is_this_team(self):
        goods = self._create_product(name="Spare fuser", type="consu")
        env = self.env(context=dict(self.env.context, lang="en_US"))
        form = Form(env["helpdesk.ticket.team"])
        form.case_billing_enabled = True
        with self.assertLogs("odoo.tests.form.onchange", "WARNING") as logged:
            form.case_billing_product_id = goods
        self.assertIn("The billing product of this team must be a service.", logged.output[0])
        form.name = "Field service"
        with self.assertLogs("odoo.tests.form.onchange", "WARNING") as logged:
            form.case_billing_product_id = goods
        self.assertIn(
            "The billing product of team Field service must be a service.", logged.output[0]
        )

    def test_the_unit_reads_its_minutes_once(self):
        arch = self._team_form_arch()
        (label,) = arch.xpath("//label[@for='case_billing_unit_minutes']")
        self.assertEqual(label.get("string"), "Billing unit")
        (row,) = arch.xpath("//div[@name='case_billing_unit']")
        (field,) = row.xpath(".//field")
        self.assertEqual(field.get("name"), "case_billing_unit_minutes")
        self.assertEqual(" ".join(row.itertext()).split(), ["minutes"])

    def test_every_billing_setting_of_a_team_is_tracked(self):
        # Those of the installed billing modules too.
        Team = self.env["helpdesk.ticket.team"]
        settings = [
            field
            for name, field in Team._fields.items()
            if name.startswith("case_billing_") and field.store and not field.compute
        ]
        self.assertIn("case_billing_start_date", [field.name for field in settings])
        untracked = [field.name for field in settings if not field.tracking]
        self.assertFalse(untracked, "team billing settings missing from the chatter")

    def test_billing_settings_are_tracked_on_the_team(self):
        env = self.env(context={"lang": "en_US"})
        team = env["helpdesk.ticket.team"].create({"name": "Tracked", "case_billing_unit_minutes": 15})
        env.cr.precommit.run()
        team.case_billing_unit_minutes = 10
        # Tracking values are written when the transaction commits.
        env.cr.precommit.run()
        team.invalidate_recordset(["message_ids"])
        tracked = team.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "case_billing_unit_minutes"
        )
        self.assertEqual((tracked.old_value_integer, tracked.new_value_integer), (15, 10))
