// Pure billing arithmetic shared by the web client; mirrors the server's rule.

/** Whole billing units for a duration, rounded up: 20 min at 15-min units = 2. */
export function billingUnits(minutes: number, unitMinutes: number): number {
    if (!Number.isFinite(unitMinutes) || unitMinutes < 1) {
        throw new RangeError(`billing unit must be at least 1 minute, got ${unitMinutes}`);
    }
    if (!Number.isFinite(minutes) || minutes <= 0) {
        return 0;
    }
    // Time comes in hours as floats: 0.333… h * 60 must not become 20.0000001 → 2 units, not 3.
    const rounded = Math.round(minutes * 1e6) / 1e6;
    return Math.ceil(rounded / unitMinutes);
}

/** Whole minutes → "H:MM", minus sign when negative: 195 → "3:15", -90 → "-1:30". */
export function formatMinutes(minutes: number): string {
    const abs = Math.abs(minutes);
    return `${minutes < 0 ? "-" : ""}${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, "0")}`;
}

/** Hours as a float → whole minutes, rounded half away from zero so that -x always is the minus of x; not a number → 0. */
export function hoursToMinutes(hours: number): number {
    if (!Number.isFinite(hours)) {
        return 0;
    }
    const minutes = Math.round(Math.abs(hours) * 60);
    return hours < 0 ? -minutes : minutes;
}

/**
 * Hours as a float → "H:MM", the way Odoo shows float_time: 3.25 → "3:15",
 * -1.5 → "-1:30", the same in every language (no grouping of thousands, ASCII
 * digits). What rounds to no minute is "0:00", never "-0:00".
 */
export function formatHoursMinutes(hours: number): string {
    return formatMinutes(hoursToMinutes(hours));
}
