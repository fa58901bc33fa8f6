from . import helpdesk_ticket_approval_override
from . import helpdesk_ticket_approval_request
