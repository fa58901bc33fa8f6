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

/** Hours as a float → "H:MM", the way Odoo shows float_time; negatives keep their sign. */
export function formatHoursMinutes(hours: number): string {
    const sign = hours < 0 ? "-" : "";
    return `${sign}${formatMinutes(Math.round(Math.abs(hours) * 60))}`;
}
