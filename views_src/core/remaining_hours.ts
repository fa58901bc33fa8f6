// Arithmetic of the prepaid-hours indicator: what is left on the sales-order
// line once the time typed in the form (saved or not) is taken off.

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

/** Green while time is left, orange at or under the threshold (a share of the hours sold), red once run out. */
export function remainingLevel(remaining: number, soldHours: number, thresholdRatio = 0.1): RemainingLevel {
    if (remaining <= 0) {
        return "out";
    }
    if (soldHours > 0 && remaining <= soldHours * thresholdRatio) {
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

/** "3:15", "-1:30": hours and minutes with a minus sign when the hours sold are exceeded. */
export function formatRemaining(hours: number): string {
    const totalMinutes = Math.round(hours * 60);
    const sign = totalMinutes < 0 ? "-" : "";
    const abs = Math.abs(totalMinutes);
    return `${sign}${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, "0")}`;
}
