// Typed facade of @web/core/l10n/dates: Odoo's luxon-based date helpers.
import type { DateTime } from "luxon";
export function deserializeDateTime(value: string, options?: { tz?: string }): DateTime;
export function deserializeDate(value: string): DateTime;
export function formatDate(value: DateTime | false, options?: { format?: string }): string;
