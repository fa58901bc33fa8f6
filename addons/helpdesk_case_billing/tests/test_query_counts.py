# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import contextmanager

from odoo.tests import tagged, warmup

from .common import CaseBillingCommon


# With two work types on every case (TestQueryCountsWorkTypes); one more
# query each than the counts of the cases' materials read in batch.
GRID_WORK_TYPES = 20
ADD_WORK_TYPES = 89


@tagged("post_install", "-at_install")
class TestQueryCounts(CaseBillingCommon):
    """Exact numbers of queries of the Load helpdesk cases dialog: loading its
    grid and adding the selected cases, for 1 and for 100 cases.

    The numbers are those of a database where the four Helpdesk Case Billing
    modules are installed (quotations, prepaid hours and customer approval
    add their rules to the billing rule), as the test suite runs. Each test
    runs twice (``warmup``): the first run fills Odoo's caches (registry,
    translations, access rights, ir.model.data) and is rolled back; the
    second one starts from an empty record cache and counts.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.one_case = cls._create_cases(1, cls.other_customer)
        cls.hundred_cases = cls._create_cases(100, cls.customer)
        cls.one_case_invoice = cls._create_invoice(cls.other_customer)
        cls.invoice = cls._create_invoice()

    @classmethod
    def _create_cases(cls, count, customer):
        """``count`` billable cases of ``customer``, made in batches."""
        tickets = cls.env["helpdesk.ticket"].create(
            [
                {
                    "name": f"Case {index}",
                    "description": f"<p>Case {index}</p>",
                    "partner_id": customer.id,
                    "team_id": cls.team.id,
                    "project_id": cls.project.id,
                }
                for index in range(count)
            ]
        )
        cls.env["account.analytic.line"].create(
            [
                {
                    "name": "Diagnosis and fix",
                    "ticket_id": ticket.id,
                    "employee_id": cls.employee.id,
                    "unit_amount": 20 / 60,
                }
                for ticket in tickets
            ]
        )
        tickets.write({"solution": "<p>Fixed.</p>", "stage_id": cls.stage_done.id})
        return tickets

    @contextmanager
    def _assert_queries(self, expected):
        """assertQueryCount, exact both ways: Odoo's fails on more queries
        only, so a count that went down would stay stale in the test."""
        with self.assertQueryCount(expected):
            start = self.cr.sql_log_count
            yield
            # What assertQueryCount counts: the pending writes flushed too.
            self.env.flush_all()
            self.env.cr.flush()
            count = self.cr.sql_log_count - start
        if self.warm:
            self.assertEqual(count, expected, "queries")

    # The grid is one search_read, 16 queries whatever the number of cases:
    # the search with the columns asked for (one query), then one query per
    # table for the whole batch, as the fields and the billing rule (with the
    # rules of the quotation, prepaid hours and approval modules, which read
    # stored fields of the case) need them: teams, the company's currency,
    # the team's billing product (product, template, attribute combination),
    # units of measure (the billing unit, then the product's unit for the
    # estimate), financial statuses and stages, and the cases' materials
    # (their amounts are in the estimate; none here). The estimates are priced for
    # the invoice the context names, as its lines will be: the invoice's row
    # (customer, date, currency, fiscal position) is one query, and the
    # product's currency, which Odoo's invoice line converts the sales price
    # from, two (the main company's for a product of no company: its
    # existence, then its row). The case's company and customer, which the
    # estimate declares it depends on, come with the search's columns: the
    # query of the cases' other columns, which read the company, is gone.
    # The customer's pricelist costs nothing while pricelists are switched
    # off, as here. The cases' time lines are two queries (the lines of the
    # batch, then their columns: minutes, billable, work type), as each case
    # bills one line per work type. The rule and the computes read through the prefetch of
    # the recordset, so 100 cases cost the queries of 1 case. The dialog
    # knows its invoice's customer and company: read them first.

    @warmup
    def test_load_grid_one_case(self):
        invoice = self.one_case_invoice
        invoice.read(["commercial_partner_id", "company_id"])
        with self._assert_queries(16):
            rows = self._load_grid(invoice)
        self.assertEqual([row["id"] for row in rows], self.one_case.ids)
        self.assertTrue(rows[0]["is_billable_now"])

    @warmup
    def test_load_grid_hundred_cases(self):
        self.invoice.read(["commercial_partner_id", "company_id"])
        with self._assert_queries(16):
            rows = self._load_grid(self.invoice)
        self.assertEqual(len(rows), 100)
        self.assertTrue(all(row["is_billable_now"] for row in rows))

    # Adding is 79 queries whatever the number of cases: the lock (one
    # SELECT … FOR UPDATE), the billing rule checked for the batch, the
    # cases' time lines grouped by work type (two queries for the batch), the
    # cases' materials read for the batch (one line each; none here), the
    # amounts of a line computed once per product, unit and quantity (all
    # the cases here bill the same: once), all lines in one INSERT, the
    # invoice's own synchronisation (tax and receivable lines, totals) once
    # for the batch, the cases' invoice and status recomputed in batch and
    # one chatter message per case written by one INSERT.

    @warmup
    def test_add_one_case(self):
        with self._assert_queries(79):
            result = self.one_case_invoice.action_add_helpdesk_cases(self.one_case.ids)
        self.assertEqual(result["case_count"], 1)

    @warmup
    def test_add_hundred_cases(self):
        with self._assert_queries(79):
            result = self.invoice.action_add_helpdesk_cases(self.hundred_cases.ids)
        self.assertEqual(result["case_count"], 100)


@tagged("post_install", "-at_install")
class TestQueryCountsWorkTypes(TestQueryCounts):
    """The same with two work types on every case: the team's product and an
    after-hours service, one invoice line each."""

    @classmethod
    def _create_cases(cls, count, customer):
        tickets = super()._create_cases(count, customer)
        if not getattr(cls, "after_hours", None):
            cls.after_hours = cls.env["product.product"].create(
                {
                    "name": "After-hours",
                    "type": "service",
                    "uom_id": cls.env.ref("uom.product_uom_hour").id,
                    "lst_price": 120.0,
                }
            )
        tickets.write({"stage_id": cls.stage_in_progress.id})
        cls.env["account.analytic.line"].create(
            [
                {
                    "name": "Night intervention",
                    "ticket_id": ticket.id,
                    "employee_id": cls.employee.id,
                    "unit_amount": 0.5,
                    "case_work_type_id": cls.after_hours.id,
                }
                for ticket in tickets
            ]
        )
        tickets.write({"stage_id": cls.stage_done.id})
        return tickets

    # The second work type adds 4 queries to the grid (the after-hours
    # product's rows, read for its price), and 10 to adding (its line's
    # amounts computed once more, for one more product, unit and quantity,
    # and its tax read), whatever the number of cases. Only Odoo's own
    # batches grow: the ORM inserts and updates at most 100 rows per query,
    # so the 200 lines of 100 cases take one INSERT and one UPDATE more than
    # the 2 lines of one case (as 200 cases of one work type would).

    @warmup
    def test_load_grid_one_case(self):
        invoice = self.one_case_invoice
        invoice.read(["commercial_partner_id", "company_id"])
        with self._assert_queries(GRID_WORK_TYPES):
            rows = self._load_grid(invoice)
        self.assertEqual(rows[0]["billing_amount_estimate"], 100.0)

    @warmup
    def test_load_grid_hundred_cases(self):
        self.invoice.read(["commercial_partner_id", "company_id"])
        with self._assert_queries(GRID_WORK_TYPES):
            rows = self._load_grid(self.invoice)
        self.assertEqual(len(rows), 100)
        self.assertEqual({row["billing_amount_estimate"] for row in rows}, {100.0})

    @warmup
    def test_add_one_case(self):
        with self._assert_queries(ADD_WORK_TYPES):
            self.one_case_invoice.action_add_helpdesk_cases(self.one_case.ids)
        self.assertEqual(self.one_case_invoice.amount_untaxed, 100.0)

    @warmup
    def test_add_hundred_cases(self):
        with self._assert_queries(ADD_WORK_TYPES + 2):
            self.invoice.action_add_helpdesk_cases(self.hundred_cases.ids)
        self.assertEqual(len(self.invoice.invoice_line_ids), 200)
        self.assertEqual(self.invoice.amount_untaxed, 10000.0)
