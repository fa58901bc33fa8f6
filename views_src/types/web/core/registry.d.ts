// Typed facade of @web/core/registry: only what this addon uses.
export interface Registry<T = unknown> {
    add(key: string, value: T, options?: { force?: boolean; sequence?: number }): Registry<T>;
    get(key: string, defaultValue?: T): T;
    contains(key: string): boolean;
    category<C = unknown>(name: string): Registry<C>;
}
export const registry: Registry;
