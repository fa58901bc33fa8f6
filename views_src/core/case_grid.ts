// Pure logic of the "Load helpdesk cases" grid: filtering, sorting, selection,
// totals and the visible window of a long list. No Odoo import: unit-tested in Node.
import { type BillingTotals, groupUnits } from "./billing_totals";

export interface CaseRow {
    id: number;
    number: string;
    title: string;
    teamId: number | null;
    teamName: string;
    /** Local calendar day the case was closed, "YYYY-MM-DD", or null while open. */
    closedDay: string | null;
    /** Time spent, in hours. */
    hours: number;
    units: number;
    /** Length of one billing unit of the case's team, in minutes; 0 for a flat rate. */
    unitMinutes: number;
    /** Time billed: whole billing units, in hours (0 for a flat rate). */
    billedHours: number;
    /** What is billed, in the customer's words: "2 × 15 min", "flat rate". */
    unitLabel: string;
    amount: number;
    billable: boolean;
    blockers: string[];
}

export interface GridFilter {
    text: string;
    teamId: number | null;
    closedFrom: string | null;
    closedTo: string | null;
    showNotBillable: boolean;
}

export type SortKey = "number" | "title" | "teamName" | "closedDay" | "hours" | "units" | "amount";
export type SortDirection = "asc" | "desc";

export const EMPTY_FILTER: GridFilter = {
    text: "",
    teamId: null,
    closedFrom: null,
    closedTo: null,
    showNotBillable: false,
};

/** `billing_blockers` comes from the server as one reason per line. */
export function parseBlockers(text: string | false | null | undefined): string[] {
    if (!text) {
        return [];
    }
    return text.split("\n").map((line) => line.trim()).filter(Boolean);
}

function normalise(text: string): string {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

export function filterCases(rows: readonly CaseRow[], filter: GridFilter): CaseRow[] {
    const needles = normalise(filter.text).split(/\s+/).filter(Boolean);
    return rows.filter((row) => {
        if (!filter.showNotBillable && !row.billable) {
            return false;
        }
        if (filter.teamId !== null && row.teamId !== filter.teamId) {
            return false;
        }
        if (filter.closedFrom && (!row.closedDay || row.closedDay < filter.closedFrom)) {
            return false;
        }
        if (filter.closedTo && (!row.closedDay || row.closedDay > filter.closedTo)) {
            return false;
        }
        if (needles.length) {
            const haystack = normalise(`${row.number} ${row.title} ${row.teamName}`);
            return needles.every((needle) => haystack.includes(needle));
        }
        return true;
    });
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/** The value a column sorts by: the Billed column by the time billed, as units of different lengths do not compare. */
function sortValue(row: CaseRow, key: SortKey): string | number | null {
    return key === "units" ? row.billedHours : row[key];
}

/** Stable sort; empty values (an open case's closing day) always sort last. */
export function sortCases(rows: readonly CaseRow[], key: SortKey, direction: SortDirection): CaseRow[] {
    const factor = direction === "asc" ? 1 : -1;
    return rows
        .map((row, index) => ({ row, index }))
        .sort((a, b) => {
            const va = sortValue(a.row, key);
            const vb = sortValue(b.row, key);
            if (va === null || vb === null) {
                if (va === vb) {
                    return a.index - b.index;
                }
                return va === null ? 1 : -1;
            }
            const order = typeof va === "number" && typeof vb === "number"
                ? va - vb
                : collator.compare(String(va), String(vb));
            return order !== 0 ? order * factor : a.index - b.index;
        })
        .map(({ row }) => row);
}

/** Clicking a column header: same column flips the direction, another starts ascending. */
export function nextSort(
    current: { key: SortKey; direction: SortDirection },
    clicked: SortKey,
): { key: SortKey; direction: SortDirection } {
    if (current.key === clicked) {
        return { key: clicked, direction: current.direction === "asc" ? "desc" : "asc" };
    }
    return { key: clicked, direction: "asc" };
}

/** Units of different teams differ in length: totals add time, and units only per length. */
export type SelectionTotals = BillingTotals;

export function selectionTotals(rows: readonly CaseRow[], selected: ReadonlySet<number>): SelectionTotals {
    const chosen = rows.filter((row) => selected.has(row.id));
    let hours = 0;
    let billedHours = 0;
    let amount = 0;
    for (const row of chosen) {
        hours += row.hours;
        billedHours += row.billedHours;
        amount += row.amount;
    }
    return {
        count: chosen.length,
        hours,
        billedHours,
        units: groupUnits(chosen),
        amount: Math.round(amount * 100) / 100,
    };
}

/** Only billable cases can be selected. */
export function toggleCase(selected: ReadonlySet<number>, row: CaseRow): Set<number> {
    const next = new Set(selected);
    if (next.has(row.id)) {
        next.delete(row.id);
    } else if (row.billable) {
        next.add(row.id);
    }
    return next;
}

/** Select all: every billable case the filter shows; kept selections outside the filter stay. */
export function selectAllVisible(selected: ReadonlySet<number>, visible: readonly CaseRow[]): Set<number> {
    const next = new Set(selected);
    for (const row of visible) {
        if (row.billable) {
            next.add(row.id);
        }
    }
    return next;
}

export function selectNoneVisible(selected: ReadonlySet<number>, visible: readonly CaseRow[]): Set<number> {
    const next = new Set(selected);
    for (const row of visible) {
        next.delete(row.id);
    }
    return next;
}

export function allVisibleSelected(selected: ReadonlySet<number>, visible: readonly CaseRow[]): boolean {
    const billable = visible.filter((row) => row.billable);
    return billable.length > 0 && billable.every((row) => selected.has(row.id));
}

export function moveCursor(index: number, delta: number, length: number): number {
    if (length <= 0) {
        return -1;
    }
    if (index < 0) {
        return delta >= 0 ? 0 : length - 1;
    }
    return Math.min(length - 1, Math.max(0, index + delta));
}

export interface RowWindow {
    start: number;
    end: number;
    offsetTop: number;
    totalHeight: number;
}

/** Rows to render for a scroll position: the grid draws only these, so 5,000 cases stay fluid. */
export function visibleWindow(
    scrollTop: number,
    viewportHeight: number,
    rowHeight: number,
    total: number,
    overscan = 10,
): RowWindow {
    const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
    const count = Math.ceil(viewportHeight / rowHeight);
    const start = Math.max(0, Math.min(total, first - overscan));
    const end = Math.min(total, first + count + overscan);
    return { start, end, offsetTop: start * rowHeight, totalHeight: total * rowHeight };
}

/** Scroll position that brings row `index` into view, or null when it already is. */
export function scrollToReveal(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number | null {
    const top = index * rowHeight;
    if (top < scrollTop) {
        return top;
    }
    if (top + rowHeight > scrollTop + viewportHeight) {
        return top + rowHeight - viewportHeight;
    }
    return null;
}
