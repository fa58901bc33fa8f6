import { many2oneValue } from "../../views_src/core/record_values";

QUnit.module("core/record_values", () => {
    QUnit.test("a many2one value is the record's { id, display_name }, an empty field null", (assert) => {
        assert.deepEqual(many2oneValue({ id: 7, display_name: "INV/2026/00007" }), { id: 7, display_name: "INV/2026/00007" });
        assert.strictEqual(many2oneValue(false), null);
        assert.strictEqual(many2oneValue(undefined), null);
        assert.strictEqual(many2oneValue(0), null);
    });
});
