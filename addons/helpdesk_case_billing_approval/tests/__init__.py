from . import test_customer_approval
from . import test_translations
