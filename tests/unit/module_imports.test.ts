// The compiled files as Odoo's asset pipeline loads them: each .js under
// addons/<module>/static/src/ is defined as "@<module>/<path without .js>", and
// each import must name a module that one of our compiled files defines.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

interface CompiledFile {
    /** "@helpdesk_case_billing/js/core/billing_units" */
    name: string;
    addon: string;
    code: string;
}

function repoRoot(): string {
    let dir = path.dirname(fileURLToPath(import.meta.url));
    while (!fs.existsSync(path.join(dir, "esbuild.config.mjs"))) {
        const parent = path.dirname(dir);
        if (parent === dir) {
            throw new Error("esbuild.config.mjs not found above the test");
        }
        dir = parent;
    }
    return dir;
}

function walk(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        return entry.isDirectory() ? walk(full) : [full];
    });
}

function compiledFiles(): CompiledFile[] {
    const addons = path.join(repoRoot(), "addons");
    return fs.readdirSync(addons).flatMap((addon) => {
        const src = path.join(addons, addon, "static/src");
        if (!fs.existsSync(path.join(src, "js"))) {
            return [];
        }
        return walk(path.join(src, "js"))
            .filter((file) => file.endsWith(".js"))
            .map((file) => ({
                name: `@${addon}/${path.relative(src, file).split(path.sep).join("/").replace(/\.js$/, "")}`,
                addon,
                code: fs.readFileSync(file, "utf8"),
            }));
    });
}

/** `import { a, b } from "x"` → { spec: "x", names: ["a", "b"] }. */
function importsOf(code: string): Array<{ spec: string; names: string[] }> {
    return [...code.matchAll(/^import\s*(?:\{([^}]*)\}\s*from\s*)?"([^"]+)";$/gm)].map((m) => ({
        spec: m[2]!,
        names: (m[1] || "").split(",").map((n) => n.trim().split(/\s+as\s+/)[0]!).filter(Boolean),
    }));
}

function exportsOf(code: string): string[] {
    const block = /^export\s*\{([^}]*)\};$/m.exec(code);
    return block ? block[1]!.split(",").map((n) => n.trim().split(/\s+as\s+/).pop()!).filter(Boolean) : [];
}

/** What Odoo's transpiler makes of an import specifier written in `importer`. */
function moduleName(importer: CompiledFile, spec: string): string {
    if (!spec.startsWith(".")) {
        return spec;
    }
    const url = `/${importer.addon}/static/src/${importer.name.slice(importer.addon.length + 2)}.js`;
    const target = path.posix.join(path.posix.dirname(url), spec);
    const match = /^\/([^/]+)\/static\/src\/(.+)$/.exec(target);
    return match ? `@${match[1]}/${match[2]}` : target;
}

QUnit.module("compiled modules", () => {
    const files = compiledFiles();
    const byName = new Map(files.map((file) => [file.name, file]));

    QUnit.test("prepaid hours import the core module's conversion and formatter by its Odoo name", (assert) => {
        const remaining = byName.get("@helpdesk_case_billing_sale_timesheet/js/core/remaining_hours");
        assert.ok(remaining, "remaining_hours ships in helpdesk_case_billing_sale_timesheet");
        const imported = importsOf(remaining!.code).find((i) => i.spec === "@helpdesk_case_billing/js/core/billing_units");
        assert.deepEqual(imported?.names, ["hoursToMinutes"], "imported through @helpdesk_case_billing/…, not a relative path");
        const indicator = byName.get("@helpdesk_case_billing_sale_timesheet/js/fields/remaining_hours_indicator");
        const formatter = importsOf(indicator!.code).find((i) => i.spec === "@helpdesk_case_billing/js/core/billing_units");
        assert.deepEqual(formatter?.names, ["formatHoursMinutes"], "the indicator formats with the core's formatter");
        const core = byName.get("@helpdesk_case_billing/js/core/billing_units");
        assert.ok(core, "the core module compiles billing_units");
        assert.ok(exportsOf(core!.code).includes("hoursToMinutes"), "and exports hoursToMinutes");
        assert.ok(exportsOf(core!.code).includes("formatHoursMinutes"), "and formatHoursMinutes");
    });

    QUnit.test("every import of our own code names a compiled file that exports what it takes", (assert) => {
        let checked = 0;
        for (const file of files) {
            for (const { spec, names } of importsOf(file.code)) {
                if (spec === "@odoo/owl" || spec.startsWith("@web/") || spec.startsWith("@account/")) {
                    continue;
                }
                const name = moduleName(file, spec);
                const target = byName.get(name);
                assert.ok(target, `${file.name} imports "${spec}" = ${name}, which a compiled file defines`);
                if (spec.startsWith(".")) {
                    assert.ok(name.startsWith(`@${file.addon}/`), `${file.name}: relative import "${spec}" stays in ${file.addon}`);
                }
                const exported = target ? exportsOf(target.code) : [];
                for (const imported of names) {
                    assert.ok(exported.includes(imported), `${name} exports ${imported} for ${file.name}`);
                }
                checked++;
            }
        }
        assert.ok(checked > 0, "the compiled files import each other");
    });

    QUnit.test("each Odoo module ships its own part of the web client", (assert) => {
        const addonsOf = (prefix: string) => [...new Set(files.filter((f) => f.name.startsWith(prefix)).map((f) => f.addon))];
        assert.deepEqual(addonsOf("@helpdesk_case_billing/js/invoice/"), ["helpdesk_case_billing"]);
        assert.ok(byName.has("@helpdesk_case_billing_sale/js/quotation/quotation_created_action"));
        assert.ok(byName.has("@helpdesk_case_billing_sale_timesheet/js/fields/remaining_hours_indicator"));
    });
});
