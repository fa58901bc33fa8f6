// Arithmetic of the prepaid-hours indicator: what is left on the sales-order
// line once the time typed in the form (saved or not) is taken off.
// Ships in helpdesk_case_billing_sale_timesheet: the core module is imported by name.
import { hoursToMinutes } from "@helpdesk_case_billing/js/core/billing_units";

export type RemainingLevel = "ok" | "low" | "out";

export interface RemainingInput {
    /** remaining_hours of the sales-order line as the server last computed it. */
    remainingOnServer: number;
    /** Hours of the case's time lines when the server computed that figure. */
    loggedOnServer: number;
    /** Hours of the case's time lines as the form holds them now. */
    loggedInForm: number;
}

/** Hours left: the server's figure, less what was added or changed in the form since. */
export function remainingHours({ remainingOnServer, loggedOnServer, loggedInForm }: RemainingInput): number {
    const value = remainingOnServer - (loggedInForm - loggedOnServer);
    // Keep minute precision: float noise must not turn 0:00 into "-0:00".
    return Math.round(value * 60 * 1e6) / (60 * 1e6);
}

/** What the server said of the sales-order line the case was saved with. */
export interface SavedLine {
    lineId: number;
    remaining: number;
    logged: number;
}

/**
 * Hours left on the line the form shows now. On the saved line, the saved
 * figures hold, even after another line was picked and the saved one picked
 * again. On a line picked in the form, `lineRemaining` (what the onchange read)
 * holds, and none of the case's time is on that line yet.
 */
export function remainingInForm(saved: SavedLine, lineId: number, lineRemaining: number, loggedInForm: number): number {
    const onSavedLine = lineId === saved.lineId;
    return remainingHours({
        remainingOnServer: onSavedLine ? saved.remaining : lineRemaining,
        loggedOnServer: onSavedLine ? saved.logged : 0,
        loggedInForm,
    });
}

/**
 * Green while time is left, orange at or under the threshold (a share of the
 * hours sold), red once run out. Judged on the minutes shown: "0:00" is out.
 */
export function remainingLevel(remaining: number, soldHours: number, thresholdRatio = 0.1): RemainingLevel {
    const minutes = hoursToMinutes(remaining);
    if (minutes <= 0) {
        return "out";
    }
    if (soldHours > 0 && minutes <= hoursToMinutes(soldHours * thresholdRatio)) {
        return "low";
    }
    return "ok";
}

export function sumHours(values: ReadonlyArray<number | false | null | undefined>): number {
    let total = 0;
    for (const value of values) {
        total += typeof value === "number" && Number.isFinite(value) ? value : 0;
    }
    return total;
}
