# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import psycopg2

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL, mute_logger

from .common import CaseBillingCommon

def our_modules(env):
    """The modules of this project installed on the database."""
    return tuple(
        env["ir.module.module"]
        .sudo()
        .search([("name", "=like", "helpdesk_case_billing%"), ("state", "=", "installed")])
        .mapped("name")
    )


def added_columns(env):
    """(model, field) of every stored column the addon adds to a model of
    another module: fields declared by no other module (ir_model_data), on
    models that another module declares."""
    env.cr.execute(
        """
        SELECT f.model, f.name
          FROM ir_model_fields f
         WHERE f.store
           AND f.ttype NOT IN ('one2many', 'many2many')
           AND EXISTS (SELECT 1 FROM ir_model_data d
                        WHERE d.model = 'ir.model.fields' AND d.res_id = f.id
                          AND d.module IN %(modules)s)
           AND NOT EXISTS (SELECT 1 FROM ir_model_data d
                            WHERE d.model = 'ir.model.fields' AND d.res_id = f.id
                              AND d.module NOT IN %(modules)s)
           AND EXISTS (SELECT 1 FROM ir_model_data d
                         JOIN ir_model m ON m.id = d.res_id
                        WHERE d.model = 'ir.model' AND m.model = f.model
                          AND d.module NOT IN %(modules)s)
         ORDER BY f.model, f.name
        """,
        {"modules": our_modules(env)},
    )
    return [
        (model, name)
        for model, name in env.cr.fetchall()
        if model in env and not env[model]._abstract and env[model]._auto
    ]


class NeighbourMixin:
    """The stored columns our modules add to other modules' tables."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.added = added_columns(cls.env)

    def _column(self, model, name):
        self.env.cr.execute(
            """
            SELECT is_nullable FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = %s AND column_name = %s
            """,
            [self.env[model]._table, name],
        )
        row = self.env.cr.fetchone()
        return row and row[0]

    def _insert_without_our_columns(self, model, record, overrides=None):
        """Copies `record`'s row with SQL naming only the columns of other
        modules, as code that does not know the addon would write it."""
        overrides = overrides or {}
        table = self.env[model]._table
        ours = {name for m, name in self.added if m == model}
        self.env.cr.execute(
            """
            SELECT column_name FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = %s AND column_name != 'id'
             ORDER BY ordinal_position
            """,
            [table],
        )
        columns = [c for (c,) in self.env.cr.fetchall() if c not in ours]
        self.assertTrue(ours and columns)
        values = [SQL("%s", overrides[c]) if c in overrides else SQL.identifier(c) for c in columns]
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                self.env.cr.execute(
                    SQL(
                        "INSERT INTO %s (%s) SELECT %s FROM %s WHERE id = %s RETURNING id",
                        SQL.identifier(table),
                        SQL(", ").join(SQL.identifier(c) for c in columns),
                        SQL(", ").join(values),
                        SQL.identifier(table),
                        record.id,
                    )
                )
                return self.env[model].browse(self.env.cr.fetchone()[0])
        except psycopg2.IntegrityError as error:
            self.fail(f"A {model} written without the addon's columns is refused: {error}")


@tagged("post_install", "-at_install")
class TestGoodNeighbour(NeighbourMixin, TransactionCase):
    """Columns the addon adds to other modules' tables accept NULL: code that
    creates their records while the addon is not loaded (other modules'
    install-time tests, data files during an upgrade of all modules) works."""

    def test_the_added_columns_are_found(self):
        # The list is derived, not written down: it must hold the known ones.
        for known in (
            ("helpdesk.ticket", "invoice_id"),
            ("helpdesk.ticket.team", "case_billing_mode"),
            ("helpdesk.ticket", "billing_status_id"),
            ("account.move.line", "helpdesk_ticket_id"),
        ):
            self.assertIn(known, self.added)
        self.assertNotIn(("helpdesk.ticket.billing.status", "name"), self.added, "not our own models")
        self.assertNotIn(("res.company", "name"), self.added, "not the fields of other modules")

    def test_no_added_column_is_not_null(self):
        not_null = [
            f"{self.env[model]._table}.{name} ({model})"
            for model, name in self.added
            if self._column(model, name) == "NO"
        ]
        self.assertFalse(
            not_null,
            "These columns that the addon adds to other modules' tables are NOT NULL: "
            "a record created without the addon loaded fails. Drop required=True, keep "
            "the default and require the field in the views: " + ", ".join(not_null),
        )
        missing = [f"{model}.{name}" for model, name in self.added if self._column(model, name) is None]
        self.assertFalse(missing, f"Stored fields without a column: {missing}")

    def test_a_team_created_without_the_addon_loaded(self):
        source = self.env["helpdesk.ticket.team"].create({"name": "Neighbour team"})
        team = self._insert_without_our_columns("helpdesk.ticket.team", source)
        self.assertFalse(team.case_billing_mode)


@tagged("post_install", "-at_install")
class TestEmptyMeansDefault(CaseBillingCommon):
    """A record written without the addon loaded has empty values where the
    addon's fields have defaults: the addon reads them as the defaults."""

    def _empty_mode(self, team):
        self.env.cr.execute(
            "UPDATE helpdesk_ticket_team SET case_billing_mode = NULL WHERE id = %s", [team.id]
        )
        self.env.invalidate_all()
        self.assertFalse(team.case_billing_mode)

    def test_a_team_without_mode_bills_the_time_spent(self):
        self._empty_mode(self.team)
        spent = self._create_case(name="Time case", minutes=(20,))
        idle = self._create_case(name="Idle case", minutes=())
        self.assertTrue(spent.is_billable_now, spent.billing_blockers)
        self.assertEqual(spent.billing_units, 2, "20 minutes are 2 units of 15 minutes")
        self.assertFalse(idle.is_billable_now, "time mode: a case without time is not billable")
        self.assertIn("No time is spent on the case.", idle.billing_blockers)
        billable = self.env["helpdesk.ticket"].search(
            [("id", "in", (spent | idle).ids), ("is_billable_now", "=", True)]
        )
        self.assertEqual(billable, spent)

    def test_a_team_without_mode_checks_the_product_unit_as_in_time_mode(self):
        self._empty_mode(self.team)
        per_case = self.env["product.product"].create(
            {
                "name": "Per case",
                "type": "service",
                "uom_id": self.env.ref("uom.product_uom_unit").id,
            }
        )
        with self.assertRaisesRegex(ValidationError, "must be a unit of time"):
            self.team.case_billing_product_id = per_case
