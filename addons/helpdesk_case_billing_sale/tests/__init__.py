from . import test_quotations
