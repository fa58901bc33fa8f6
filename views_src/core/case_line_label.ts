/**
 * The label of a case's invoice line as the invoice form shows it under its
 * product. Odoo's line widget drops the product's name from the label, which
 * leaves an empty segment in a work type's line ("HT00042 - Printer down -  -
 * 3 × 15 min"); the segment goes with the name.
 */
export function caseLineLabelUnderProduct(label: string, productName: string): string {
    if (!productName || !label.includes(productName)) {
        return label.trim();
    }
    const segment = ` - ${productName} - `;
    if (label.includes(segment)) {
        return label.replace(segment, " - ").trim();
    }
    const last = ` - ${productName}`;
    if (label.endsWith(last)) {
        return label.slice(0, -last.length).trim();
    }
    // As Odoo's widget does for any other label.
    return label.replace(productName, "").trim();
}
