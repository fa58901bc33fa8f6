// Typed facade of @web/core/l10n/translation.
export function _t(source: string, ...args: unknown[]): string;
