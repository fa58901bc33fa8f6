from . import helpdesk_ticket_billing_status
from . import helpdesk_ticket
