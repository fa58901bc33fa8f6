# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# One line is at most a day of work: more is a typing error.
MAX_CASE_LINE_HOURS = 24

# Writing these fields changes the time billed on a case.
LOCKED_FIELDS = {
    "ticket_id",
    "unit_amount",
    "date",
    "name",
    "employee_id",
    "user_id",
    "project_id",
    "task_id",
    "product_uom_id",
    "case_work_type_id",
    "case_billable",
}


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Helpdesk ticket",
        index=True,
    )
    case_work_type_id = fields.Many2one(
        comodel_name="product.product",
        string="Work type",
        domain=lambda self: self._get_case_work_type_domain(),
        check_company=True,
        ondelete="restrict",
        help="The kind of work, billed at its own price on a line of its own: a "
        "service sold by time (remote support, on-site, after-hours). Empty: the "
        "billing product of the case's team.",
    )

    @api.model
    def _get_case_work_type_domain(self):
        hour = self.env.ref("uom.product_uom_hour", raise_if_not_found=False)
        return [("type", "=", "service"), ("uom_id", "child_of", hour.id if hour else [])]

    @api.constrains("case_work_type_id")
    def _check_case_work_type(self):
        for line in self.filtered("case_work_type_id"):
            product = line.case_work_type_id.sudo()
            if product.type != "service" or not product.uom_id._is_time_unit():
                raise ValidationError(
                    self.env._(
                        "The work type of a time line is a service sold by time (its "
                        "unit Hours, Minutes, Days…); %(product)s is not.",
                        product=product.display_name,
                    )
                )

    @api.constrains("unit_amount", "ticket_id")
    def _check_case_time(self):
        for line in self.filtered("ticket_id"):
            if not 0 <= line.unit_amount <= MAX_CASE_LINE_HOURS:
                raise ValidationError(
                    self.env._(
                        "A time line of case %(case)s lasts from 0 to %(max)s hours, not "
                        "%(hours)s.",
                        case=line.ticket_id.number,
                        max=MAX_CASE_LINE_HOURS,
                        hours=line.unit_amount,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # sudo: a timesheet user may log time without reading helpdesk settings.
        Ticket = self.env["helpdesk.ticket"].sudo()
        for vals in vals_list:
            ticket = Ticket.browse(vals.get("ticket_id"))
            # A timesheet logged on a case goes to the case's project.
            if ticket and not vals.get("project_id") and not vals.get("task_id"):
                if ticket.task_id:
                    vals["task_id"] = ticket.task_id.id
                if ticket.project_id:
                    vals["project_id"] = ticket.project_id.id
        Ticket.browse(
            {vals["ticket_id"] for vals in vals_list if vals.get("ticket_id")}
        )._check_timesheets_unlocked()
        return super().create(vals_list)

    def write(self, vals):
        if LOCKED_FIELDS.intersection(vals):
            tickets = self.ticket_id
            if vals.get("ticket_id"):
                tickets |= self.env["helpdesk.ticket"].browse(vals["ticket_id"])
            tickets._check_timesheets_unlocked()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced_ticket(self):
        self.ticket_id._check_timesheets_unlocked()
