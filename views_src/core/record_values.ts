// Reading the values of a form's record. No Odoo import: unit-tested in Node.
import type { Many2OneValue } from "../types/odoo";

/** A many2one value of `record.data` ({ id, display_name }), or null when the field is empty. */
export function many2oneValue(value: unknown): Many2OneValue | null {
    return value && typeof value === "object" ? (value as Many2OneValue) : null;
}
