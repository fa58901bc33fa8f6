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

/** Hours as a float → "H:MM", the way Odoo shows float_time; negatives keep their sign. */
export function formatHoursMinutes(hours: number): string {
    const sign = hours < 0 ? "-" : "";
    const totalMinutes = Math.round(Math.abs(hours) * 60);
    const h = Math.floor(totalMinutes / 60);
    const m = totalMinutes % 60;
    return `${sign}${h}:${String(m).padStart(2, "0")}`;
}
