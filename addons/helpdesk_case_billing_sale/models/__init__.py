from . import helpdesk_ticket_team
from . import helpdesk_ticket
from . import helpdesk_ticket_material
from . import sale_order
from . import sale_order_line
from . import account_move
from . import helpdesk_case_billing_report
