import { formatHoursMinutes } from "../../views_src/core/billing_units";
import { remainingHours, remainingInForm, remainingLevel, sumHours } from "../../views_src/core/remaining_hours";

QUnit.module("core/remaining_hours", () => {
    QUnit.test("takes unsaved time off the server's figure", (assert) => {
        assert.strictEqual(remainingHours({ remainingOnServer: 5, loggedOnServer: 2, loggedInForm: 2 }), 5, "nothing changed");
        assert.strictEqual(remainingHours({ remainingOnServer: 5, loggedOnServer: 2, loggedInForm: 3.75 }), 3.25, "1:45 added");
        assert.strictEqual(remainingHours({ remainingOnServer: 5, loggedOnServer: 2, loggedInForm: 1 }), 6, "a line shortened gives time back");
        assert.strictEqual(remainingHours({ remainingOnServer: 1, loggedOnServer: 0, loggedInForm: 2.5 }), -1.5, "overrun");
    });

    QUnit.test("float noise does not leave a stray minute or a negative zero", (assert) => {
        const r = remainingHours({ remainingOnServer: 1, loggedOnServer: 0, loggedInForm: 1 / 3 + 1 / 3 + 1 / 3 });
        assert.strictEqual(formatHoursMinutes(r), "0:00");
        assert.strictEqual(remainingLevel(r, 10), "out", "zero left is run out");
    });

    QUnit.test("colour levels: ok, low under 10% of the hours sold, out when exceeded", (assert) => {
        assert.strictEqual(remainingLevel(3, 10), "ok");
        assert.strictEqual(remainingLevel(1, 10), "low", "exactly 10% is low");
        assert.strictEqual(remainingLevel(0.5, 10), "low");
        assert.strictEqual(remainingLevel(0, 10), "out");
        assert.strictEqual(remainingLevel(-1.5, 10), "out");
        assert.strictEqual(remainingLevel(3, 10, 0.5), "low", "threshold is configurable");
        assert.strictEqual(remainingLevel(0.1, 0), "ok", "no hours sold: no threshold");
    });

    QUnit.test("formats hours:minutes with the sign of an overrun", (assert) => {
        assert.strictEqual(formatHoursMinutes(3.25), "3:15");
        assert.strictEqual(formatHoursMinutes(-1.5), "-1:30");
        assert.strictEqual(formatHoursMinutes(-0.25), "-0:15");
        assert.strictEqual(formatHoursMinutes(0.004), "0:00");
        assert.strictEqual(formatHoursMinutes(125.5), "125:30");
    });

    QUnit.test("hours:minutes of a case's day: 2 h sold, 1:30 logged, then more typed in the form", (assert) => {
        const saved = { lineId: 7, remaining: 0.5, logged: 1.5 };
        const steps: Array<[number, string, string]> = [
            [1.5, "0:30", "ok"],
            [1.5 + 20 / 60, "0:10", "low"],
            [1.5 + 20 / 60 + 30 / 60, "-0:20", "out"],
        ];
        for (const [logged, text, level] of steps) {
            const left = remainingInForm(saved, 7, 0.5, logged);
            assert.strictEqual(formatHoursMinutes(left), text, `${logged} h logged`);
            assert.strictEqual(remainingLevel(left, 2, 0.1), level, `${text} is ${level}`);
        }
    });

    QUnit.test("a line picked in the form has none of the case's time yet; the saved line keeps its figures", (assert) => {
        const saved = { lineId: 7, remaining: 0.5, logged: 1.5 };
        assert.strictEqual(remainingInForm(saved, 9, 10, 1.5), 8.5, "other line: all the form's time comes off its 10 h");
        assert.strictEqual(remainingInForm(saved, 7, 123, 1.5), 0.5, "picked back: the saved figures, not the other line's");
        assert.strictEqual(remainingInForm(saved, 7, 123, 2), 0, "picked back, with 0:30 more typed");
        assert.strictEqual(remainingInForm({ lineId: 0, remaining: 0, logged: 0 }, 4, 3, 0.25), 2.75, "new case");
    });

    QUnit.test("negative values round like their positive counterpart", (assert) => {
        assert.strictEqual(formatHoursMinutes(0.5 / 60), "0:01", "half a minute left shows one");
        assert.strictEqual(formatHoursMinutes(-0.5 / 60), "-0:01", "half a minute over shows one over");
        assert.strictEqual(formatHoursMinutes(-(1 + 29.5 / 60)), "-1:30");
        assert.strictEqual(formatHoursMinutes(1 + 29.5 / 60), "1:30");
        assert.strictEqual(formatHoursMinutes(-0.2 / 60), "0:00", "less than half a minute over is no overrun");
        assert.strictEqual(formatHoursMinutes(Number.NaN), "0:00");
        assert.strictEqual(formatHoursMinutes(-59.999 / 60), "-1:00", "the minutes carry into the hours");
    });

    QUnit.test("the colour follows the minutes shown", (assert) => {
        assert.strictEqual(remainingLevel(0.2 / 60, 10), "out", "0:00 shown is run out");
        assert.strictEqual(remainingLevel(-0.2 / 60, 10), "out");
        assert.strictEqual(remainingLevel(1 / 60, 10), "low", "0:01 left");
        assert.strictEqual(remainingLevel(0.5, 2, 0.25), "low", "0:30 left at 25% of 2 h");
        assert.strictEqual(remainingLevel(31 / 60, 2, 0.25), "ok", "0:31 left at 25% of 2 h");
        assert.strictEqual(remainingLevel(0.5, 2, 0), "ok", "a 0% threshold never warns");
    });

    QUnit.test("the same text in every language: no locale digits or thousands separators", (assert) => {
        const toLocaleString = Number.prototype.toLocaleString;
        const NumberFormat = Intl.NumberFormat;
        // A host whose locale groups thousands with a dot and uses Arabic-Indic digits.
        Number.prototype.toLocaleString = function () {
            return "١٬٢٣٤";
        };
        (Intl as { NumberFormat: unknown }).NumberFormat = function () {
            return { format: () => "١٬٢٣٤" };
        };
        try {
            assert.strictEqual(formatHoursMinutes(1234.5), "1234:30");
            assert.strictEqual(formatHoursMinutes(-1234.5), "-1234:30");
            assert.strictEqual(formatHoursMinutes(0.05), "0:03");
        } finally {
            Number.prototype.toLocaleString = toLocaleString;
            (Intl as { NumberFormat: unknown }).NumberFormat = NumberFormat;
        }
    });

    QUnit.test("sums the form's time lines, ignoring empty cells", (assert) => {
        assert.strictEqual(sumHours([1, 0.5, false, null, undefined, Number.NaN, 0.25]), 1.75);
        assert.strictEqual(sumHours([]), 0);
    });
});
