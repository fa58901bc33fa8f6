from . import helpdesk_ticket_team
from . import helpdesk_ticket
from . import sale_order_line
from . import account_analytic_line
from . import helpdesk_ticket_material
from . import helpdesk_ticket_material_order
