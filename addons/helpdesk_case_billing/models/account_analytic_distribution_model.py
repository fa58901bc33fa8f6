# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class AccountAnalyticDistributionModel(models.Model):
    _inherit = "account.analytic.distribution.model"

    def _create_domain(self, fname, value):
        # The standard method appends to the caller's list in place. That list
        # is part of the cache key account.move.line uses while computing the
        # analytic distribution of a batch of lines: the key no longer matches
        # and every invoice line of a batch searches again. Give it a copy so
        # adding many cases to an invoice costs the same queries as a few.
        if fname == "partner_category_id" and isinstance(value, list):
            value = list(value)
        return super()._create_domain(fname, value)
