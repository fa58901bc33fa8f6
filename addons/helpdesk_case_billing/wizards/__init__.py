from . import helpdesk_ticket_invoice_wizard
from . import account_move_reversal
