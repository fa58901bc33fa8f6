import { formatUnitGroups, groupUnits, totalsValues, type UnitWords } from "../../views_src/core/billing_totals";

const words: UnitWords = {
    units: (units, minutes) => `${units} × ${minutes} min`,
    flatRates: (count) => (count === 1 ? "1 flat rate" : `${count} flat rates`),
};

QUnit.module("core/billing_totals", () => {
    QUnit.test("units add up per length, never across lengths", (assert) => {
        const groups = groupUnits([
            { units: 10, unitMinutes: 15 },
            { units: 2, unitMinutes: 30 },
            { units: 8, unitMinutes: 15 },
        ]);
        assert.deepEqual(groups, [{ minutes: 15, units: 18 }, { minutes: 30, units: 2 }]);
        assert.strictEqual(formatUnitGroups(groups, words), "18 × 15 min + 2 × 30 min");
    });

    QUnit.test("shortest unit first, flat rates last, nothing billed left out", (assert) => {
        const groups = groupUnits([
            { units: 1, unitMinutes: 0 },
            { units: 3, unitMinutes: 60 },
            { units: 0, unitMinutes: 10 },
            { units: 3, unitMinutes: 7 },
            { units: 1, unitMinutes: 0 },
        ]);
        assert.deepEqual(groups, [{ minutes: 7, units: 3 }, { minutes: 60, units: 3 }, { minutes: 0, units: 2 }]);
        assert.strictEqual(formatUnitGroups(groups, words), "3 × 7 min + 3 × 60 min + 2 flat rates");
        assert.strictEqual(formatUnitGroups(groupUnits([{ units: 1, unitMinutes: 0 }]), words), "1 flat rate");
    });

    QUnit.test("one length: one group", (assert) => {
        const groups = groupUnits([{ units: 2, unitMinutes: 15 }]);
        assert.strictEqual(formatUnitGroups(groups, words), "2 × 15 min");
        assert.strictEqual(formatUnitGroups([], words), "", "nothing billed, no units");
    });

    QUnit.test("credited units cancel out per length", (assert) => {
        const groups = groupUnits([
            { units: 3, unitMinutes: 7 },
            { units: -3, unitMinutes: 7 },
            { units: 2, unitMinutes: 15 },
        ]);
        assert.deepEqual(groups, [{ minutes: 15, units: 2 }]);
    });

    QUnit.test("the values of the sentences: billed and spent time as H:MM, units, amount", (assert) => {
        const values = totalsValues(
            {
                count: 5,
                hours: 4 + 20 / 60,
                billedHours: 5,
                units: [{ minutes: 15, units: 16 }, { minutes: 30, units: 2 }],
                amount: 300,
            },
            words,
            (amount) => `$ ${amount.toFixed(2)}`,
        );
        assert.deepEqual(values, {
            count: 5,
            billed: "5:00",
            spent: "4:20",
            units: "16 × 15 min + 2 × 30 min",
            amount: "$ 300.00",
        });
    });
});
