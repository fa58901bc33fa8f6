from . import helpdesk_ticket_billing_status
from . import helpdesk_ticket_team
from . import helpdesk_ticket
from . import account_analytic_distribution_model
from . import account_analytic_line
from . import account_move
from . import account_move_line
