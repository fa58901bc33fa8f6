// Arithmetic of the prepaid-hours indicator: what is left on the sales-order
// line once the time typed in the form (saved or not) is taken off.
// Ships in helpdesk_case_billing_sale_timesheet: the core module is imported by name.
import { formatMinutes } from "@helpdesk_case_billing/js/core/billing_units";

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

/** Whole minutes, rounded half away from zero so that -x always shows as the minus of x. */
function toMinutes(hours: number): number {
    if (!Number.isFinite(hours)) {
        return 0;
    }
    const minutes = Math.round(Math.abs(hours) * 60);
    return hours < 0 ? -minutes : minutes;
}

/**
 * Green while time is left, orange at or under the threshold (a share of the
 * hours sold), red once run out. Judged on the minutes shown: "0:00" is out.
 */
export function remainingLevel(remaining: number, soldHours: number, thresholdRatio = 0.1): RemainingLevel {
    const minutes = toMinutes(remaining);
    if (minutes <= 0) {
        return "out";
    }
    if (soldHours > 0 && minutes <= toMinutes(soldHours * thresholdRatio)) {
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

/**
 * "3:15", "-1:30": hours and minutes with a minus sign when the hours sold are
 * exceeded. Like Odoo's float_time, the same in every language: no grouping of
 * thousands, ASCII digits.
 */
export function formatRemaining(hours: number): string {
    return formatMinutes(toMinutes(hours));
}
