from . import res_company
from . import res_config_settings
from . import helpdesk_ticket_team
from . import helpdesk_ticket_approval
from . import helpdesk_ticket
from . import account_analytic_line
