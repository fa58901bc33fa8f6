from . import test_quotations
from . import test_translations
