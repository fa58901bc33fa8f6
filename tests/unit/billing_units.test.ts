import { billingUnits, formatHoursMinutes, formatMinutes, hoursToMinutes } from "../../views_src/core/billing_units";

QUnit.module("core/billing_units", () => {
    QUnit.test("rounds up to whole billing units", (assert) => {
        assert.strictEqual(billingUnits(20, 15), 2, "20 min at 15-min units is 2 units");
        assert.strictEqual(billingUnits(15, 15), 1, "exactly one unit");
        assert.strictEqual(billingUnits(16, 15), 2);
        assert.strictEqual(billingUnits(1, 60), 1);
        assert.strictEqual(billingUnits(0, 15), 0, "no time, no units");
        assert.strictEqual(billingUnits(-5, 15), 0);
    });

    QUnit.test("float hours do not add a unit through rounding noise", (assert) => {
        const twentyMinutes = (1 / 3) * 60; // 20.000000000000004 in floating point
        assert.strictEqual(billingUnits(twentyMinutes, 10), 2);
        assert.strictEqual(billingUnits(0.7 * 60, 6), 7);
    });

    QUnit.test("refuses a unit below one minute", (assert) => {
        assert.throws(() => billingUnits(20, 0), RangeError);
        assert.throws(() => billingUnits(20, -15), RangeError);
        assert.throws(() => billingUnits(20, Number.NaN), RangeError);
    });

    QUnit.test("formats hours as H:MM", (assert) => {
        assert.strictEqual(formatHoursMinutes(3.25), "3:15");
        assert.strictEqual(formatHoursMinutes(0), "0:00");
        assert.strictEqual(formatHoursMinutes(-1.5), "-1:30");
        assert.strictEqual(formatHoursMinutes(1 / 3), "0:20");
        assert.strictEqual(formatHoursMinutes(10.9999), "11:00");
        assert.strictEqual(formatHoursMinutes(-0.004), "0:00", "what rounds to no minute has no minus sign");
        assert.strictEqual(formatHoursMinutes(Number.NaN), "0:00");
    });

    QUnit.test("hours become whole minutes, halves rounded away from zero", (assert) => {
        assert.strictEqual(hoursToMinutes(1.5), 90);
        assert.strictEqual(hoursToMinutes(0.5 / 60), 1);
        assert.strictEqual(hoursToMinutes(-0.5 / 60), -1);
        assert.strictEqual(hoursToMinutes(Number.POSITIVE_INFINITY), 0);
    });

    QUnit.test("formats whole minutes as H:MM", (assert) => {
        assert.strictEqual(formatMinutes(195), "3:15");
        assert.strictEqual(formatMinutes(0), "0:00");
        assert.strictEqual(formatMinutes(-90), "-1:30");
        assert.strictEqual(formatMinutes(-0), "0:00", "no minus sign on zero");
        assert.strictEqual(formatMinutes(74070), "1234:30");
    });
});
