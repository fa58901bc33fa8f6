from . import helpdesk_ticket_approval_override
