// Typed facade of @web/core/utils/patch: Odoo's way to extend a class in place.
export function patch<T extends object>(objToPatch: T, extension: Partial<T> & ThisType<T>): () => void;
