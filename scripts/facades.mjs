// Checks the typed facades of views_src/types/ against the host: every value a
// facade declares as exported must be exported by the JavaScript file of the
// Odoo tree that Odoo's module loader serves under that name. A facade that
// names something the host does not export would type-check and build, and
// fail only in the browser.
//
// Facades are found two ways: a .d.ts file under a tsconfig `paths` target in
// views_src/types/ (`@web/*` -> views_src/types/web/*, so
// views_src/types/web/core/registry.d.ts is `@web/core/registry`), and any
// `declare module "@web/..."` or `declare module "@odoo/owl"` block in a .d.ts
// of views_src/types/. `@<addon>/x/y` is <ODOO_SRC>/addons/<addon>/static/src/x/y.js,
// `@odoo/owl` is Odoo's copy of OWL (web/static/lib/owl/owl.js).
//
// The names views_src/ imports from `@odoo/owl` (typed by the npm package) are
// checked against the same file.
//
// `node scripts/facades.mjs` prints one line per facade and exits 1 on any mismatch.
import fs from "node:fs";
import path from "node:path";
import { HostError, findTrees, repoRoot } from "./lib/host.mjs";

const TYPES_DIR = path.join(repoRoot, "views_src/types");
const IDENT = "[A-Za-z_$][\\w$]*";

/**
 * Value names of an import or export list body, leaving out `type` entries:
 * "a, b as c, type T" -> ["a", "c"] (the exported names), or ["a", "b"] with `imported`.
 */
function listNames(body, { imported = false } = {}) {
    return body
        .split(",")
        .map((part) => part.trim())
        .filter((part) => part && !/^type\s/.test(part))
        .map((part) => part.split(/\s+as\s+/)[imported ? 0 : 1] ?? part.split(/\s+as\s+/)[0])
        .map((name) => name.trim());
}

/** Value names a facade (.d.ts text) declares as exported; interfaces and types are not in the JavaScript. */
export function facadeExports(text) {
    const names = new Set();
    const declaration = new RegExp(
        `^\\s*export\\s+(?:declare\\s+)?(?:abstract\\s+)?(?:async\\s+)?(?:function\\s*\\*?|class|const|let|var|enum)\\s+(${IDENT})`,
        "gm",
    );
    for (const [, name] of text.matchAll(declaration)) {
        names.add(name);
    }
    for (const [, body] of text.matchAll(/^\s*export\s*\{([^}]*)\}/gm)) {
        listNames(body).forEach((name) => names.add(name));
    }
    if (/^\s*export\s+default\b/m.test(text)) {
        names.add("default");
    }
    return names;
}

/** The host file an import specifier names, or null for one outside the Odoo tree. */
function hostFile(odoo, specifier, fromFile = null) {
    let base;
    if (specifier === "@odoo/owl") {
        return path.join(odoo, "addons/web/static/lib/owl/owl.js");
    } else if (specifier.startsWith(".") && fromFile) {
        base = path.resolve(path.dirname(fromFile), specifier.replace(/\.js$/, ""));
    } else {
        const match = /^@(\w+)\/(.+)$/.exec(specifier);
        if (!match) {
            return null;
        }
        base = path.join(odoo, "addons", match[1], "static/src", match[2]);
    }
    return [`${base}.js`, path.join(base, "index.js")].find((file) => fs.existsSync(file)) || `${base}.js`;
}

/**
 * Names a host ES module exports: `export function|class|const|let|var NAME`,
 * `export default`, `export { a, b as c }` (also `from`), `export * as NAME from`,
 * and `export * from` followed into the file it names. OWL assigns `exports.NAME = ...`.
 */
export function hostExports(odoo, file, seen = new Set()) {
    const names = new Set();
    if (seen.has(file)) {
        return names;
    }
    seen.add(file);
    const text = fs.readFileSync(file, "utf8");
    const patterns = [
        new RegExp(`^\\s*export\\s+(?:async\\s+)?(?:function\\s*\\*?|class|const|let|var)\\s+(${IDENT})`, "gm"),
        new RegExp(`^\\s*export\\s*\\*\\s*as\\s+(${IDENT})\\s+from\\b`, "gm"),
        new RegExp(`^\\s*exports\\.(${IDENT})\\s*=`, "gm"),
    ];
    for (const pattern of patterns) {
        for (const [, name] of text.matchAll(pattern)) {
            names.add(name);
        }
    }
    for (const [, body] of text.matchAll(/^\s*export\s+(?:const|let|var)\s*\{([^}]*)\}\s*=/gm)) {
        body.split(",").map((part) => part.split(":").pop().split("=")[0].trim()).filter(Boolean).forEach((n) => names.add(n));
    }
    for (const [, body] of text.matchAll(/^\s*export\s*\{([^}]*)\}/gm)) {
        listNames(body).forEach((name) => names.add(name));
    }
    if (/^\s*export\s+default\b/m.test(text)) {
        names.add("default");
    }
    for (const [, specifier] of text.matchAll(/^\s*export\s*\*\s*from\s*["']([^"']+)["']/gm)) {
        const target = hostFile(odoo, specifier, file);
        if (target && fs.existsSync(target)) {
            hostExports(odoo, target, seen).forEach((name) => name !== "default" && names.add(name));
        }
    }
    return names;
}

function walk(dir) {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        return entry.isDirectory() ? walk(full) : [full];
    });
}

/** Every facade: { specifier, facade (path relative to the repository), names }. */
export function facades() {
    const found = [];
    const tsconfig = JSON.parse(fs.readFileSync(path.join(repoRoot, "tsconfig.json"), "utf8"));
    for (const [pattern, targets] of Object.entries(tsconfig.compilerOptions?.paths || {})) {
        for (const target of targets) {
            const dir = path.join(repoRoot, target.replace(/\*$/, ""));
            if (!pattern.endsWith("/*") || !target.endsWith("/*") || !dir.startsWith(TYPES_DIR) || !fs.existsSync(dir)) {
                continue;
            }
            for (const file of walk(dir).filter((f) => f.endsWith(".d.ts")).sort()) {
                const rest = path.relative(dir, file).split(path.sep).join("/").replace(/\.d\.ts$/, "");
                found.push({
                    specifier: pattern.replace(/\*$/, rest),
                    facade: path.relative(repoRoot, file),
                    names: facadeExports(fs.readFileSync(file, "utf8")),
                });
            }
        }
    }
    for (const file of walk(TYPES_DIR).filter((f) => f.endsWith(".d.ts")).sort()) {
        const text = fs.readFileSync(file, "utf8");
        const block = /^\s*declare\s+module\s+["'](@web\/[^"']+|@odoo\/owl)["']\s*\{([\s\S]*?)^\}/gm;
        for (const [, specifier, body] of text.matchAll(block)) {
            found.push({ specifier, facade: path.relative(repoRoot, file), names: facadeExports(body) });
        }
    }
    return found;
}

/**
 * Checks every facade against the host tree: { ok, lines }, one line per
 * facade. Without the Odoo tree it fails with the sentence saying how to provide it.
 */
export function checkFacades() {
    let odoo;
    try {
        odoo = findTrees().odoo;
    } catch (error) {
        if (!(error instanceof HostError)) {
            throw error;
        }
        return { ok: false, lines: [{ ok: false, text: `the facades of views_src/types/ cannot be checked: ${error.message}` }] };
    }
    const lines = [];
    const all = facades();
    if (!all.length) {
        lines.push({ ok: false, text: "no facade found in views_src/types/ (tsconfig.json `paths` or `declare module`)" });
    }
    for (const { specifier, facade, names } of all) {
        const file = hostFile(odoo, specifier);
        if (!file || !fs.existsSync(file)) {
            lines.push({ ok: false, text: `${specifier} (${facade}): the host has no ${file ? path.relative(odoo, file) : "file for it"}` });
            continue;
        }
        const exported = hostExports(odoo, file);
        const missing = [...names].filter((name) => !exported.has(name));
        lines.push(
            missing.length
                ? { ok: false, text: `${specifier} (${facade}): ${missing.join(", ")} not exported by ${path.relative(odoo, file)}` }
                : { ok: true, text: `${specifier}: ${[...names].join(", ") || "(types only)"}` },
        );
    }
    // `@odoo/owl` has no facade (its types are the npm package's): the names views_src/ imports from it.
    const owl = hostFile(odoo, "@odoo/owl");
    const imported = owlImports();
    if (imported.size && !all.some(({ specifier }) => specifier === "@odoo/owl")) {
        const missing = fs.existsSync(owl) ? [...imported].filter((name) => !hostExports(odoo, owl).has(name)) : [...imported];
        lines.push(
            missing.length
                ? { ok: false, text: `@odoo/owl (imported by views_src/): ${missing.join(", ")} not exported by ${path.relative(odoo, owl)}` }
                : { ok: true, text: `@odoo/owl (imported by views_src/): ${[...imported].join(", ")}` },
        );
    }
    return { ok: lines.every((line) => line.ok), lines };
}

/** Names the sources of views_src/ import from "@odoo/owl". */
function owlImports() {
    const names = new Set();
    const sources = walk(path.join(repoRoot, "views_src")).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")).sort();
    for (const file of sources) {
        const text = fs.readFileSync(file, "utf8");
        for (const [, body] of text.matchAll(/^\s*import\s*\{([^}]*)\}\s*from\s*["']@odoo\/owl["']/gm)) {
            listNames(body, { imported: true }).forEach((name) => names.add(name));
        }
    }
    return names;
}

if (import.meta.url === `file://${process.argv[1]}`) {
    const { ok, lines } = checkFacades();
    for (const line of lines) {
        process.stdout.write(`  ${line.ok ? "ok    " : "not ok"}  ${line.text}\n`);
    }
    process.exitCode = ok ? 0 : 1;
}
