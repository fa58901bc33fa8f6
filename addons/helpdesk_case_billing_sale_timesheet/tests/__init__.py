from . import test_sale_order_hours
