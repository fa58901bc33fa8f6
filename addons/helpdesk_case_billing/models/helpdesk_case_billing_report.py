# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL


class HelpdeskCaseBillingReport(models.Model):
    """Billed cases: one row per customer invoice line billing a case, added
    to the invoice as a case (or, with the extensions, invoiced otherwise)."""

    _name = "helpdesk.case.billing.report"
    _description = "Billed helpdesk cases"
    _auto = False
    _rec_name = "ticket_number"
    _order = "invoice_date desc, id desc"
    # What to flush before reading the view.
    _depends = {
        "account.move.line": [
            "helpdesk_ticket_id",
            "helpdesk_material_id",
            "move_id",
            "product_id",
            "product_uom_id",
            "quantity",
            "balance",
            "company_currency_id",
        ],
        "account.move": [
            "state",
            "move_type",
            "invoice_date",
            "commercial_partner_id",
            "company_id",
        ],
        "helpdesk.ticket": ["number", "name", "team_id"],
        "helpdesk.ticket.team": ["case_billing_mode", "case_billing_unit_minutes"],
        "uom.uom": ["factor", "parent_path"],
    }

    ticket_id = fields.Many2one(comodel_name="helpdesk.ticket", string="Case", readonly=True)
    ticket_number = fields.Char(string="Number", readonly=True)
    ticket_name = fields.Char(string="Title", readonly=True)
    team_id = fields.Many2one(comodel_name="helpdesk.ticket.team", string="Team", readonly=True)
    partner_id = fields.Many2one(comodel_name="res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", string="Company", readonly=True)
    move_id = fields.Many2one(comodel_name="account.move", string="Invoice", readonly=True)
    invoice_date = fields.Date(readonly=True)
    state = fields.Selection(
        selection=[("draft", "Draft"), ("posted", "Posted")],
        string="Invoice status",
        readonly=True,
    )
    move_type = fields.Selection(
        selection=[("out_invoice", "Invoice"), ("out_refund", "Credit note")],
        string="Type",
        readonly=True,
    )
    billed_through = fields.Selection(
        selection=[("case", "Case on the invoice")],
        string="Billed through",
        readonly=True,
    )
    material_id = fields.Many2one(
        comodel_name="helpdesk.ticket.material",
        string="Material",
        readonly=True,
        help="The material of the case the line bills; empty on the line of its time.",
    )
    product_id = fields.Many2one(comodel_name="product.product", string="Product", readonly=True)
    product_uom_id = fields.Many2one(comodel_name="uom.uom", string="Unit", readonly=True)
    quantity = fields.Float(string="Billed quantity", digits="Product Unit", readonly=True)
    billed_hours = fields.Float(string="Billed hours", readonly=True)
    billed_units = fields.Float(
        string="Billed units",
        digits=(16, 2),
        readonly=True,
        # Units of different teams differ in length: they never add up.
        aggregator=None,
        help="Billed time in billing units of the case's team (one per case for "
        "a flat rate); negative on credit notes.",
    )
    billed_as = fields.Char(
        string="Billed as",
        compute="_compute_billed_as",
        help="What the line bills: its units with their length (\"2 × 15 min\"), "
        "or a flat rate; negative on credit notes.",
    )
    amount_untaxed = fields.Monetary(
        string="Amount",
        currency_field="currency_id",
        readonly=True,
        help="Untaxed amount in the company's currency; negative on credit notes.",
    )
    currency_id = fields.Many2one(comodel_name="res.currency", string="Currency", readonly=True)

    @property
    def _table_query(self):
        return self._query()

    def _query(self):
        hour = self.env.ref("uom.product_uom_hour")
        # Units of time share the root of Hours (Days, Minutes…).
        time_root = (hour.parent_path or f"{hour.id}/").split("/")[0]
        return SQL(
            """
            WITH case_lines AS (%(case_lines)s)
            SELECT aml.id AS id,
                   ticket.id AS ticket_id,
                   ticket.number AS ticket_number,
                   ticket.name AS ticket_name,
                   ticket.team_id AS team_id,
                   move.commercial_partner_id AS partner_id,
                   move.company_id AS company_id,
                   move.id AS move_id,
                   move.invoice_date AS invoice_date,
                   move.state AS state,
                   move.move_type AS move_type,
                   cl.billed_through AS billed_through,
                   cl.material_id AS material_id,
                   aml.product_id AS product_id,
                   aml.product_uom_id AS product_uom_id,
                   sign.value * aml.quantity AS quantity,
                   -- A flat rate bills no time, as on the case and in Load helpdesk cases.
                   -- A material bills no time either.
                   sign.value * CASE
                       WHEN team.case_billing_mode = 'fixed'
                           OR cl.material_id IS NOT NULL THEN 0.0
                       ELSE hours.value
                   END AS billed_hours,
                   sign.value * CASE
                       WHEN cl.material_id IS NOT NULL THEN 0.0
                       WHEN team.case_billing_mode = 'fixed' OR hours.value IS NULL
                           THEN aml.quantity
                       ELSE hours.value * 60.0 / NULLIF(team.case_billing_unit_minutes, 0)
                   END AS billed_units,
                   -aml.balance AS amount_untaxed,
                   aml.company_currency_id AS currency_id
              FROM case_lines cl
              JOIN account_move_line aml ON aml.id = cl.line_id
              JOIN account_move move ON move.id = aml.move_id
              JOIN helpdesk_ticket ticket ON ticket.id = cl.ticket_id
              LEFT JOIN helpdesk_ticket_team team ON team.id = ticket.team_id
              LEFT JOIN uom_uom uom ON uom.id = aml.product_uom_id
              CROSS JOIN LATERAL (
                  SELECT CASE WHEN move.move_type = 'out_refund' THEN -1 ELSE 1 END AS value
              ) sign
              CROSS JOIN LATERAL (
                  SELECT CASE
                      WHEN split_part(uom.parent_path, '/', 1) = %(time_root)s
                          THEN aml.quantity * uom.factor / %(hour_factor)s
                  END AS value
              ) hours
             WHERE move.state IN ('draft', 'posted')
               AND move.move_type IN ('out_invoice', 'out_refund')
            """,
            case_lines=self._query_case_lines(),
            time_root=time_root,
            hour_factor=hour.factor or 1.0,
        )

    def _query_case_lines(self):
        """(line_id, ticket_id, billed_through, material_id) of the invoice
        lines that bill a case (material_id: the case's material the line
        bills, if any); extended by the ways a case is billed other than as a
        case."""
        return SQL(
            """
            SELECT aml.id AS line_id, aml.helpdesk_ticket_id AS ticket_id,
                   'case' AS billed_through, aml.helpdesk_material_id AS material_id
              FROM account_move_line aml
             WHERE aml.helpdesk_ticket_id IS NOT NULL
            """
        )

    @api.depends("quantity", "product_uom_id", "team_id.case_billing_mode", "material_id")
    def _compute_billed_as(self):
        Ticket = self.env["helpdesk.ticket"]
        for row in self:
            uom = row.product_uom_id
            units = row.quantity
            units = int(units) if float(units).is_integer() else round(units, 2)
            if row.material_id:
                # A material: its quantity and unit, "2 Units".
                row.billed_as = f"{units} {uom.name}" if uom else str(units)
                continue
            if row.team_id.case_billing_mode == "fixed" or not uom._is_time_unit():
                minutes = 0
            else:
                minutes = round(uom._quantity_to_hours(1.0) * 60)
            groups = [{"minutes": minutes, "units": units}] if units else []
            row.billed_as = Ticket._format_billing_units(groups)

    @api.readonly
    def action_open_case(self):
        self.ensure_one()
        return self.ticket_id.get_formview_action()
