from . import test_sale_order_hours
from . import test_translations
from . import test_sale_order_reasons
from . import test_sale_order_quotation
from . import test_sale_order_materials
