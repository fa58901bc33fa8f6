from . import test_customer_approval
