from . import models
from . import wizards


def post_init_hook(env):
    # Teams and cases created before the install get the defaults of the new
    # settings, which point to records of this module's data files.
    env["helpdesk.ticket.team"]._case_billing_fill_defaults()
