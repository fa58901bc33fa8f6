import {
    EMPTY_FILTER, allVisibleSelected, filterCases, moveCursor, nextSort, parseBlockers, scrollToReveal,
    selectAllVisible, selectNoneVisible, selectionTotals, sortCases, toggleCase, visibleWindow,
    type CaseRow,
} from "../../views_src/core/case_grid";

function row(id: number, overrides: Partial<CaseRow> = {}): CaseRow {
    return {
        id, number: `HT${String(id).padStart(5, "0")}`, title: `Case ${id}`, teamId: 1, teamName: "Support",
        closedDay: "2026-11-20", hours: 1, units: 4, unitMinutes: 15, billedHours: 1, unitLabel: "4 × 15 min", amount: 100, billable: true, blockers: [], ...overrides,
    };
}

QUnit.module("core/case_grid", () => {
    QUnit.test("parses blockers one per line", (assert) => {
        assert.deepEqual(parseBlockers("The case is not closed.\n\nNo solution is written.\n"), [
            "The case is not closed.", "No solution is written.",
        ]);
        assert.deepEqual(parseBlockers(false), []);
        assert.deepEqual(parseBlockers(""), []);
    });

    QUnit.test("hides not-yet-billable cases unless asked", (assert) => {
        const rows = [row(1), row(2, { billable: false, blockers: ["Not closed"] })];
        assert.deepEqual(filterCases(rows, EMPTY_FILTER).map((r) => r.id), [1]);
        assert.deepEqual(filterCases(rows, { ...EMPTY_FILTER, showNotBillable: true }).map((r) => r.id), [1, 2]);
    });

    QUnit.test("filters by text across number, title and team, ignoring case and accents", (assert) => {
        const rows = [row(1, { title: "Imprimante bloquée" }), row(2, { title: "VPN drops", teamName: "Réseau" }), row(12)];
        assert.deepEqual(filterCases(rows, { ...EMPTY_FILTER, text: "BLOQUEE" }).map((r) => r.id), [1]);
        assert.deepEqual(filterCases(rows, { ...EMPTY_FILTER, text: "reseau vpn" }).map((r) => r.id), [2]);
        assert.deepEqual(filterCases(rows, { ...EMPTY_FILTER, text: "ht00012" }).map((r) => r.id), [12]);
        assert.deepEqual(filterCases(rows, { ...EMPTY_FILTER, text: "nothing like it" }), []);
    });

    QUnit.test("filters by team and by closing-date range, bounds included", (assert) => {
        const rows = [
            row(1, { closedDay: "2026-11-01" }), row(2, { closedDay: "2026-11-15", teamId: 2 }),
            row(3, { closedDay: "2026-11-30" }), row(4, { closedDay: null }),
        ];
        assert.deepEqual(filterCases(rows, { ...EMPTY_FILTER, teamId: 2 }).map((r) => r.id), [2]);
        const range = { ...EMPTY_FILTER, closedFrom: "2026-11-01", closedTo: "2026-11-15" };
        assert.deepEqual(filterCases(rows, range).map((r) => r.id), [1, 2]);
        assert.deepEqual(filterCases(rows, { ...EMPTY_FILTER, closedFrom: "2026-11-16" }).map((r) => r.id), [3]);
    });

    QUnit.test("sorts by any column, numbers numerically, stable, empty last", (assert) => {
        const rows = [
            row(1, { number: "HT00010", hours: 2, closedDay: "2026-11-03" }),
            row(2, { number: "HT9", hours: 10, closedDay: null }),
            row(3, { number: "HT00002", hours: 2, closedDay: "2026-11-01" }),
        ];
        assert.deepEqual(sortCases(rows, "hours", "asc").map((r) => r.id), [1, 3, 2], "ties keep their order");
        assert.deepEqual(sortCases(rows, "hours", "desc").map((r) => r.id), [2, 1, 3]);
        assert.deepEqual(sortCases(rows, "number", "asc").map((r) => r.id), [3, 2, 1], "HT9 before HT00010: digits compare as numbers");
        assert.deepEqual(sortCases(rows, "closedDay", "asc").map((r) => r.id), [3, 1, 2]);
        assert.deepEqual(sortCases(rows, "closedDay", "desc").map((r) => r.id), [1, 3, 2], "open cases stay last");
        assert.deepEqual(rows.map((r) => r.id), [1, 2, 3], "the input is not changed");
    });

    QUnit.test("a header click flips or starts a sort", (assert) => {
        assert.deepEqual(nextSort({ key: "number", direction: "asc" }, "number"), { key: "number", direction: "desc" });
        assert.deepEqual(nextSort({ key: "number", direction: "desc" }, "hours"), { key: "hours", direction: "asc" });
    });

    QUnit.test("selects only billable cases; select all and none act on what is shown", (assert) => {
        const blocked = row(2, { billable: false });
        const rows = [row(1), blocked, row(3)];
        let selected = toggleCase(new Set(), blocked);
        assert.strictEqual(selected.size, 0, "a blocked case cannot be selected");
        selected = toggleCase(selected, rows[0]!);
        assert.deepEqual([...selected], [1]);
        selected = toggleCase(selected, rows[0]!);
        assert.deepEqual([...selected], []);
        selected = selectAllVisible(new Set([99]), rows);
        assert.deepEqual([...selected].sort((a, b) => a - b), [1, 3, 99]);
        assert.true(allVisibleSelected(selected, rows));
        selected = selectNoneVisible(selected, rows);
        assert.deepEqual([...selected], [99], "a selection hidden by the filter is kept");
        assert.false(allVisibleSelected(selected, rows));
        assert.false(allVisibleSelected(new Set(), [blocked]), "nothing selectable is not 'all selected'");
    });

    QUnit.test("totals of the selection add time, never units of different lengths", (assert) => {
        // 2 units of 15 min and 3 units of 30 min: 2:00 h billed, not "5 units".
        const rows = [
            row(1, { units: 2, unitMinutes: 15, hours: 1 / 3, billedHours: 0.5, amount: 22.5 }),
            row(2, { units: 3, unitMinutes: 30, hours: 1.25, billedHours: 1.5, amount: 33.755 }),
            row(3),
            row(4, { units: 4, unitMinutes: 15, hours: 0.9, billedHours: 1, amount: 45 }),
        ];
        const totals = selectionTotals(rows, new Set([1, 2, 4]));
        assert.strictEqual(totals.count, 3);
        assert.deepEqual(totals.units, [{ minutes: 15, units: 6 }, { minutes: 30, units: 3 }], "units added up per length only");
        assert.strictEqual(Math.round(totals.hours * 60), 149);
        assert.strictEqual(totals.billedHours, 3);
        assert.strictEqual(totals.amount, 101.26);
        const none = selectionTotals(rows, new Set());
        assert.deepEqual(none, { count: 0, hours: 0, billedHours: 0, units: [], amount: 0 }, "nothing selected");
    });

    QUnit.test("the Billed column sorts by time billed, not by a count of units of different lengths", (assert) => {
        const rows = [
            row(1, { units: 3, unitMinutes: 15, billedHours: 0.75 }),
            row(2, { units: 2, unitMinutes: 30, billedHours: 1 }),
            row(3, { units: 4, unitMinutes: 7, billedHours: 28 / 60 }),
        ];
        assert.deepEqual(sortCases(rows, "units", "asc").map((r) => r.id), [3, 1, 2]);
        assert.deepEqual(sortCases(rows, "units", "desc").map((r) => r.id), [2, 1, 3]);
    });

    QUnit.test("keyboard cursor stays within the rows", (assert) => {
        assert.strictEqual(moveCursor(-1, 1, 5), 0);
        assert.strictEqual(moveCursor(-1, -1, 5), 4);
        assert.strictEqual(moveCursor(4, 1, 5), 4);
        assert.strictEqual(moveCursor(0, -1, 5), 0);
        assert.strictEqual(moveCursor(2, 10, 5), 4);
        assert.strictEqual(moveCursor(2, 1, 0), -1);
    });

    QUnit.test("renders only a window of a long list", (assert) => {
        const w = visibleWindow(3600, 400, 36, 5000, 5);
        assert.strictEqual(w.start, 95);
        assert.strictEqual(w.end, 117);
        assert.strictEqual(w.offsetTop, 95 * 36);
        assert.strictEqual(w.totalHeight, 5000 * 36);
        const top = visibleWindow(0, 400, 36, 3, 5);
        assert.deepEqual([top.start, top.end], [0, 3]);
        assert.strictEqual(scrollToReveal(0, 100, 400, 36), 0, "row above the viewport");
        assert.strictEqual(scrollToReveal(20, 0, 400, 36), 21 * 36 - 400, "row below the viewport");
        assert.strictEqual(scrollToReveal(5, 0, 400, 36), null, "row already visible");
    });
});
