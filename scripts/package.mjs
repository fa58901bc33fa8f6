// `npm run package`: one zip holding the folders of our modules, with the
// compiled bundle and without sources, caches or tests' output, to unpack
// into a folder of a server's addons path.
import fs from "node:fs";
import path from "node:path";
import yazl from "yazl";
import { HostError, OUR_MODULES, addonsDir, repoRoot } from "./lib/host.mjs";

/** The version of a module (the core by default), from its manifest. */
export function addonVersion(module = OUR_MODULES[0]) {
    const manifest = path.join(addonsDir, module, "__manifest__.py");
    if (!fs.existsSync(manifest)) {
        throw new HostError(`${path.relative(repoRoot, manifest)} is missing: restore the module ${module} and package again.`);
    }
    const match = /["']version["']\s*:\s*["']([^"']+)["']/.exec(fs.readFileSync(manifest, "utf8"));
    if (!match) {
        throw new HostError(`${path.relative(repoRoot, manifest)} has no version: add one and package again.`);
    }
    return match[1];
}

function addonFiles(dir) {
    const files = [];
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        if (entry.name === "__pycache__" || entry.name.endsWith(".pyc") || entry.name.startsWith(".")) {
            continue;
        }
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            files.push(...addonFiles(full));
        } else if (entry.isFile()) {
            files.push(full);
        }
    }
    return files;
}

/** Writes `<outDir>/helpdesk_case_billing-<core version>.zip` with one folder per module; resolves with its path. */
export function packageAddon(outDir = path.join(repoRoot, "dist")) {
    for (const module of OUR_MODULES) {
        addonVersion(module);
    }
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `${OUR_MODULES[0]}-${addonVersion()}.zip`);
    const zip = new yazl.ZipFile();
    // A fixed date keeps the zip identical for identical sources.
    const mtime = new Date("2026-01-01T00:00:00Z");
    for (const module of OUR_MODULES) {
        const moduleDir = path.join(addonsDir, module);
        for (const full of addonFiles(moduleDir)) {
            zip.addFile(full, path.posix.join(module, path.relative(moduleDir, full).split(path.sep).join("/")), { mtime });
        }
    }
    zip.end();
    return new Promise((resolve, reject) => {
        zip.outputStream.pipe(fs.createWriteStream(file)).on("close", () => resolve(file)).on("error", reject);
    });
}

if (import.meta.url === `file://${process.argv[1]}`) {
    try {
        const file = await packageAddon();
        process.stdout.write(`${path.relative(process.cwd(), file)}\n`);
    } catch (error) {
        if (!(error instanceof HostError)) {
            throw error;
        }
        process.stderr.write(`npm run package failed: ${error.message}\n`);
        process.exitCode = 1;
    }
}
