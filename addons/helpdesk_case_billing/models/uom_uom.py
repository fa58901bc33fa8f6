# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


def allow_case_billing_units(lines):
    """Keep a case line's billing unit a valid choice of unit on the line."""
    for line in lines:
        line.allowed_uom_ids |= line.product_uom_id.filtered("case_billing_unit_minutes")


class UomUom(models.Model):
    """Billing units as units of time, so that a case line's quantity is a
    whole number of units and its price per unit is the hourly price scaled
    exactly (prices of invoice and order lines are not rounded per unit)."""

    _inherit = "uom.uom"

    case_billing_unit_minutes = fields.Integer(
        string="Billing unit of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Technical field: the length in minutes of the billing unit of "
        "helpdesk cases this unit of time stands for.",
    )

    @api.model
    def _get_case_billing_unit(self, minutes):
        """The unit of time of ``minutes`` minutes, made on first use.

        Hours for 60 minutes; any other length is a unit relative to Hours,
        whose factor (unlimited precision) is exactly ``minutes / 60``.
        """
        hour = self.env.ref("uom.product_uom_hour")
        if minutes == 60:
            return hour
        # sudo: units of measure are shared master data.
        Uom = self.sudo().with_context(active_test=False)
        uom = Uom.search([("case_billing_unit_minutes", "=", minutes)], order="id", limit=1)
        if not uom:
            uom = Uom.create(
                {
                    "name": self.env._("%s min", minutes),
                    "relative_factor": minutes / 60,
                    "relative_uom_id": hour.id,
                    "case_billing_unit_minutes": minutes,
                }
            )
        elif not uom.active:
            uom.active = True
        return uom.with_env(self.env)

    def _is_time_unit(self):
        """Whether the unit measures time: it shares the reference of Hours
        (Minutes, Days, billing units…). False for no unit."""
        if not self:
            return False
        return self.env.ref("uom.product_uom_hour")._has_common_reference(self)

    def _hours_to_quantity(self, hours):
        """``hours`` in this unit of time, unrounded."""
        return self.env.ref("uom.product_uom_hour")._compute_quantity(hours, self, round=False)

    def _quantity_to_hours(self, quantity):
        """``quantity`` of this unit of time in hours, unrounded."""
        return self._compute_quantity(quantity, self.env.ref("uom.product_uom_hour"), round=False)
