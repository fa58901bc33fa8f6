# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from ..models.helpdesk_ticket import linking_cases


class AccountMoveReversal(models.TransientModel):
    _inherit = "account.move.reversal"

    def reverse_moves(self, is_modify=False):
        # "Reverse and create a new draft" bills the reversed invoice's cases
        # on the new draft (see AccountMoveLine._copy_data_extend_business_fields).
        with linking_cases():
            return super().reverse_moves(is_modify=is_modify)
