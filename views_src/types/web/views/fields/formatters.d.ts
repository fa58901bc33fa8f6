// Typed facade of @web/views/fields/formatters.
export function formatMonetary(value: number | false, options?: { currencyId?: number; digits?: [number, number] }): string;
export function formatFloat(value: number | false, options?: { digits?: [number, number] }): string;
