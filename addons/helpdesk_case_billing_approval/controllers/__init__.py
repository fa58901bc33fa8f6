from . import case_approval_portal
