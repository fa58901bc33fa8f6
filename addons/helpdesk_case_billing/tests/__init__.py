from . import test_team_config
from . import test_case_billing_state
from . import test_invoice_cases
from . import test_locking_rights
from . import test_rpc_rights
from . import test_concurrency
from . import test_mail_compat
