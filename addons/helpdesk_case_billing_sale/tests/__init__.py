from . import test_quotations
from . import test_translations
from . import test_quotation_money
from . import test_quotation_line_amounts
from . import test_quotation_reports
from . import test_customer_price_parity
from . import test_quotation_work_types
from . import test_quotation_materials
