// Typed facade of @web/core/utils/hooks: useService with the services this addon uses.
import type { Services } from "../../../odoo";
export function useService<K extends keyof Services>(name: K): Services[K];
