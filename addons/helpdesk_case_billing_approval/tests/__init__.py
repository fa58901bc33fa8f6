from . import test_customer_approval
from . import test_good_neighbour
from . import test_translations
from . import test_approval_reasons
from . import test_approval_security
from . import test_approval_override
from . import test_approval_figures
from . import test_approval_team_config
