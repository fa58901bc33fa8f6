// `npm run package`: a zip of the addon for Odoo's Apps › Import Module, with
// the compiled bundle and without sources, caches or tests' output.
import fs from "node:fs";
import path from "node:path";
import yazl from "yazl";
import { repoRoot } from "./lib/host.mjs";

const ADDON = "helpdesk_case_billing";
const addonDir = path.join(repoRoot, "addons", ADDON);

export function addonVersion() {
    const manifest = fs.readFileSync(path.join(addonDir, "__manifest__.py"), "utf8");
    const match = /["']version["']\s*:\s*["']([^"']+)["']/.exec(manifest);
    if (!match) {
        throw new Error("No version in the addon's __manifest__.py");
    }
    return match[1];
}

function addonFiles(dir = addonDir) {
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

export function packageAddon(outDir = path.join(repoRoot, "dist")) {
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `${ADDON}-${addonVersion()}.zip`);
    const zip = new yazl.ZipFile();
    // A fixed date keeps the zip identical for identical sources.
    const mtime = new Date("2026-01-01T00:00:00Z");
    for (const full of addonFiles()) {
        zip.addFile(full, path.posix.join(ADDON, path.relative(addonDir, full).split(path.sep).join("/")), { mtime });
    }
    zip.end();
    return new Promise((resolve, reject) => {
        zip.outputStream.pipe(fs.createWriteStream(file)).on("close", () => resolve(file)).on("error", reject);
    });
}

if (import.meta.url === `file://${process.argv[1]}`) {
    const file = await packageAddon();
    process.stdout.write(`${path.relative(process.cwd(), file)}\n`);
}
