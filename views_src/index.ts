// Entry point of the web-client bundle: each import registers itself in Odoo's registries.
import "./fields/case_billing_status_field";
import "./invoice/load_cases_button";
import "./fields/remaining_hours_indicator";
import "./quotation/quotation_created_action";
