import { caseLineLabelUnderProduct } from "../../views_src/core/case_line_label";

QUnit.module("core/case_line_label", () => {
    QUnit.test("a work type's line reads whole under its product", (assert) => {
        assert.strictEqual(
            caseLineLabelUnderProduct("HT00042 - Printer down (closed 12/01/2026) - On-site - 3 × 15 min", "On-site"),
            "HT00042 - Printer down (closed 12/01/2026) - 3 × 15 min",
        );
        assert.strictEqual(caseLineLabelUnderProduct("HT00042 - Printer down - On-site", "On-site"), "HT00042 - Printer down");
    });

    QUnit.test("a label without the product's name is kept", (assert) => {
        const label = "HT00042 - Printer down (closed 12/01/2026) - 2 × 15 min";
        assert.strictEqual(caseLineLabelUnderProduct(label, "Helpdesk work (hour)"), label);
        assert.strictEqual(caseLineLabelUnderProduct(` ${label}\n`, ""), label);
    });

    QUnit.test("anywhere else the name goes as Odoo's widget drops it", (assert) => {
        assert.strictEqual(caseLineLabelUnderProduct("Toner cartridge\nHT00054 - Printer down", "Toner cartridge"), "HT00054 - Printer down");
    });
});
