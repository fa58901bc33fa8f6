// `npm run test:browser -- [files…]`: the browser tests alone (all, or the
// files given) against a fresh database holding our four modules. With
// HCB_DB set, that database is upgraded and kept instead.
import fs from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import {
    OUR_MODULES, dropDatabase, prepareHost, registerCleanups, repoRoot, reportFailure, runOdoo, startOdooServer,
} from "./lib/host.mjs";

const logDir = path.join(repoRoot, ".cache/test-logs");
const cleanups = [];
const cleanup = registerCleanups(cleanups);

async function main() {
    const trees = prepareHost();
    const keep = Boolean(process.env.HCB_DB);
    const db = process.env.HCB_DB || `hcb_browser_${process.pid}`;
    if (!keep) {
        dropDatabase(db);
        cleanups.push(() => dropDatabase(db));
    }
    const installLog = path.join(logDir, `browser-install-${db}.log`);
    const { code } = await runOdoo(trees, db, [keep ? "-u" : "-i", OUR_MODULES.join(","), "--http-port=0", "--log-level=warn"], {
        logFile: installLog,
    });
    if (code !== 0) {
        process.stdout.write(`Installing the modules on ${db} failed: read ${installLog}.\n`);
        return 1;
    }
    const server = await startOdooServer(trees, db, { logFile: path.join(logDir, `browser-odoo-${db}.log`) });
    cleanups.push(() => server.stop());
    process.stdout.write(`Odoo at ${server.url} (database ${db})\n`);
    const browserDir = path.join(repoRoot, "tests/browser");
    const given = process.argv.slice(2).map((file) => path.resolve(file));
    const files = given.length
        ? given
        : fs.readdirSync(browserDir).filter((f) => f.endsWith(".test.mjs")).sort().map((f) => path.join(browserDir, f));
    const args = [path.join(repoRoot, "scripts/run-qunit.mjs"), ...files];
    // Asynchronous: a synchronous child would stop this process reading Odoo's log pipe, and Odoo would hang.
    return new Promise((resolve) => {
        const child = spawn(process.execPath, args, {
            cwd: repoRoot, stdio: "inherit", env: { ...process.env, HCB_URL: server.url, HCB_DB: db },
        });
        child.on("close", (status) => resolve(status ?? 1));
    });
}

let status = 1;
try {
    status = await main();
} catch (error) {
    reportFailure("npm run test:browser", error, path.join(logDir, "test-browser-error.log"));
} finally {
    await cleanup();
}
process.exit(status);
