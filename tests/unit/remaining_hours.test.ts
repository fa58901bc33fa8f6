import { formatRemaining, remainingHours, remainingLevel, sumHours } from "../../views_src/core/remaining_hours";

QUnit.module("core/remaining_hours", () => {
    QUnit.test("takes unsaved time off the server's figure", (assert) => {
        assert.strictEqual(remainingHours({ remainingOnServer: 5, loggedOnServer: 2, loggedInForm: 2 }), 5, "nothing changed");
        assert.strictEqual(remainingHours({ remainingOnServer: 5, loggedOnServer: 2, loggedInForm: 3.75 }), 3.25, "1:45 added");
        assert.strictEqual(remainingHours({ remainingOnServer: 5, loggedOnServer: 2, loggedInForm: 1 }), 6, "a line shortened gives time back");
        assert.strictEqual(remainingHours({ remainingOnServer: 1, loggedOnServer: 0, loggedInForm: 2.5 }), -1.5, "overrun");
    });

    QUnit.test("float noise does not leave a stray minute or a negative zero", (assert) => {
        const r = remainingHours({ remainingOnServer: 1, loggedOnServer: 0, loggedInForm: 1 / 3 + 1 / 3 + 1 / 3 });
        assert.strictEqual(formatRemaining(r), "0:00");
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
        assert.strictEqual(formatRemaining(3.25), "3:15");
        assert.strictEqual(formatRemaining(-1.5), "-1:30");
        assert.strictEqual(formatRemaining(-0.25), "-0:15");
        assert.strictEqual(formatRemaining(0.004), "0:00");
        assert.strictEqual(formatRemaining(125.5), "125:30");
    });

    QUnit.test("sums the form's time lines, ignoring empty cells", (assert) => {
        assert.strictEqual(sumHours([1, 0.5, false, null, undefined, Number.NaN, 0.25]), 1.75);
        assert.strictEqual(sumHours([]), 0);
    });
});
