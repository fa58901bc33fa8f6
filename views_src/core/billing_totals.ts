// Totals of billed cases, the same in the Load helpdesk cases dialog and the
// notification after adding: billed time next to time spent, and billing units
// only with their length. Units of different lengths never add up: 18 units of
// 15 min and 2 of 30 min are "18 × 15 min + 2 × 30 min", never "20 units".
// No Odoo import: unit-tested in Node; the words come from the caller (_t).
import { formatHoursMinutes } from "./billing_units";

/** What one case (or line) bills: `units` of `unitMinutes` minutes; 0 minutes is a flat rate. */
export interface BilledUnits {
    units: number;
    unitMinutes: number;
}

/** Units of one length, added up; `minutes` 0 counts flat rates. */
export interface UnitGroup {
    minutes: number;
    units: number;
}

/** Units added up per length, shortest first, flat rates last; lengths without units left out. */
export function groupUnits(items: Iterable<BilledUnits>): UnitGroup[] {
    const byMinutes = new Map<number, number>();
    for (const { units, unitMinutes } of items) {
        if (!units) {
            continue;
        }
        const minutes = unitMinutes > 0 ? unitMinutes : 0;
        byMinutes.set(minutes, (byMinutes.get(minutes) ?? 0) + units);
    }
    return [...byMinutes]
        .filter(([, units]) => units !== 0)
        .map(([minutes, units]) => ({ minutes, units }))
        .sort((a, b) => (a.minutes === 0 ? 1 : b.minutes === 0 ? -1 : a.minutes - b.minutes));
}

/** The words of the units, translated by the caller. */
export interface UnitWords {
    /** "2 × 15 min" */
    units(units: number, minutes: number): string;
    /** "1 flat rate", "2 flat rates" */
    flatRates(count: number): string;
}

/** "18 × 15 min + 2 × 30 min + 1 flat rate"; "" when nothing is billed. */
export function formatUnitGroups(groups: readonly UnitGroup[], words: UnitWords): string {
    return groups
        .map((group) => (group.minutes ? words.units(group.units, group.minutes) : words.flatRates(group.units)))
        .join(" + ");
}

/** Figures of a set of cases, as the server or the grid gives them. */
export interface BillingTotals {
    count: number;
    /** Time spent (billable), in hours. */
    hours: number;
    /** Time billed: the sum of each case's whole units, in hours. */
    billedHours: number;
    units: UnitGroup[];
    amount: number;
}

/** The values of the sentences that tell the totals: H:MM times, the units with their lengths. */
export interface TotalsValues {
    count: number;
    billed: string;
    spent: string;
    units: string;
    amount: string;
}

export function totalsValues(
    totals: BillingTotals,
    words: UnitWords,
    formatAmount: (amount: number) => string,
): TotalsValues {
    return {
        count: totals.count,
        billed: formatHoursMinutes(totals.billedHours),
        spent: formatHoursMinutes(totals.hours),
        units: formatUnitGroups(totals.units, words),
        amount: formatAmount(totals.amount),
    };
}
