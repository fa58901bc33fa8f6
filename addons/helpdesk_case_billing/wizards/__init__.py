from . import helpdesk_ticket_invoice_wizard
