// Typed facade of @web/core/browser/feature_detection: what this addon reads.
/** True on a device with a touch screen. */
export function hasTouch(): boolean;
