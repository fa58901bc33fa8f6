// The one import of Odoo's `_t` for the whole bundle: with a single binding,
// esbuild keeps the name `_t`, which Odoo's term extraction looks for (it would
// miss the `_t2(...)` aliases of one import per file).
export { _t } from "@web/core/l10n/translation";
