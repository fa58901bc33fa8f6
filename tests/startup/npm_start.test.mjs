// The first command a new user runs: `npm start` on a machine whose cache
// folder is empty, with the host trees given through ODOO_SRC and HELPDESK_SRC
// (the official OCA Helpdesk 19.0 tree) as the README allows, installing our four modules; and the sentence `npm start` and `npm test` print when
// a tree is missing. Runs the real scripts against a real Odoo.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { OUR_MODULES, databaseExists, dropDatabase, findTrees, freePort, portIsFree, repoRoot } from "../../scripts/lib/host.mjs";
import { OdooRpc } from "../lib/odoo_rpc.mjs";

const DB = process.env.HCB_START_DB;
if (!DB) {
    throw new Error("The start-up tests need HCB_START_DB: run them through `npm test`.");
}
const trees = findTrees();
const STACK_FRAME = /^\s+at .+[(:]/m;

function tempDir(label) {
    return fs.mkdtempSync(path.join(os.tmpdir(), `hcb-${label}-`));
}

/** The environment of a command run as a new user would: none of the test run's own settings. */
function userEnv(extra) {
    const env = { ...process.env, ...extra };
    for (const name of [
        "HCB_ADDONS_DIR", "HCB_URL", "HCB_DB", "HCB_PORT", "HCB_LIFECYCLE_TEMPLATE", "HCB_LIFECYCLE_PREFIX", "HCB_START_DB",
        "HELPDESK_PORT_SRC",
    ]) {
        if (!(name in extra)) {
            delete env[name];
        }
    }
    return env;
}

/**
 * Spawns `node script`; resolves `exited` with { code, signal } and keeps the
 * output; `waitFor(re)` resolves when stdout matches or the process ends.
 */
function runScript(script, env) {
    const child = spawn(process.execPath, [path.join(repoRoot, script)], { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
    const out = { stdout: "", stderr: "" };
    const waiters = [];
    const check = () => {
        for (const waiter of [...waiters]) {
            if (waiter.re.test(out.stdout) || child.exitCode !== null || child.signalCode !== null) {
                waiters.splice(waiters.indexOf(waiter), 1);
                waiter.resolve(waiter.re.test(out.stdout));
            }
        }
    };
    child.stdout.on("data", (d) => { out.stdout += d; check(); });
    child.stderr.on("data", (d) => { out.stderr += d; });
    const exited = new Promise((resolve) => child.on("close", (code, signal) => { check(); resolve({ code, signal }); }));
    return {
        child, out, exited,
        waitFor(re, ms) {
            return new Promise((resolve) => {
                const waiter = { re, resolve };
                waiters.push(waiter);
                check();
                setTimeout(() => {
                    if (waiters.includes(waiter)) {
                        waiters.splice(waiters.indexOf(waiter), 1);
                        resolve(false);
                    }
                }, ms).unref();
            });
        },
    };
}

/** The failure sentence of a command: the non-empty stderr lines that are not [host] progress. */
function failureLines(text) {
    return text.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("[host]"));
}

QUnit.module("npm start", (hooks) => {
    const cacheHome = tempDir("cache");
    let started = null;

    hooks.after(async () => {
        if (started && started.child.exitCode === null) {
            // Ctrl-C makes npm start stop its Odoo too; SIGKILL only if it does not end.
            started.child.kill("SIGINT");
            const timer = setTimeout(() => started.child.kill("SIGKILL"), 20_000);
            await started.exited;
            clearTimeout(timer);
        }
        dropDatabase(DB);
        fs.rmSync(cacheHome, { recursive: true, force: true });
    });

    QUnit.test("on an empty cache folder it creates the database, prints the URL and login, and Ctrl-C stops it", async (assert) => {
        assert.timeout(240_000);
        dropDatabase(DB);
        const port = await freePort();
        const t0 = Date.now();
        started = runScript("scripts/start.mjs", userEnv({
            XDG_CACHE_HOME: cacheHome, ODOO_SRC: trees.odoo, HELPDESK_SRC: trees.helpdesk, HCB_DB: DB, HCB_PORT: String(port),
        }));
        const up = await started.waitFor(/Press Ctrl-C to stop\./, 220_000);
        const seconds = Math.round((Date.now() - t0) / 1000);
        assert.true(up, `npm start came up in ${seconds} s${up ? "" : `; it printed:\n${started.out.stdout}\n${started.out.stderr}`}`);
        if (!up) {
            return;
        }
        const url = `http://127.0.0.1:${port}`;
        assert.true(started.out.stdout.includes(`URL:      ${url}/odoo/action-helpdesk_mgmt.helpdesk_ticket_action`), "it prints the URL");
        assert.true(/Login:\s+admin\n\s+Password: admin\n/.test(started.out.stdout), "and the login");
        const cache = path.join(cacheHome, "helpdesk-case-billing");
        assert.true(fs.existsSync(path.join(cache, `${DB}-install.log`)), "the install log is in the new cache folder");
        assert.true(fs.existsSync(path.join(cache, `${DB}-server.log`)), "and the server log");
        const health = await fetch(`${url}/web/health`);
        assert.true(health.ok, "Odoo answers on the printed address");
        const rpc = new OdooRpc(url);
        await rpc.login(DB, "admin", "admin");
        const modules = await rpc.searchRead("ir.module.module", [["name", "in", OUR_MODULES]], ["name", "state"]);
        assert.deepEqual(
            Object.fromEntries(modules.map((m) => [m.name, m.state])), Object.fromEntries(OUR_MODULES.map((m) => [m, "installed"])),
            "with our four modules installed",
        );

        started.child.kill("SIGINT");
        const { code, signal } = await started.exited;
        assert.deepEqual({ code, signal }, { code: 0, signal: null }, "Ctrl-C ends npm start with exit 0");
        assert.true(/Odoo stopped\./.test(started.out.stdout), "after stopping Odoo");
        assert.true(await portIsFree(port), "nothing listens on the port any more");
        assert.false(STACK_FRAME.test(started.out.stdout + started.out.stderr), "no stack trace anywhere in the output");

        dropDatabase(DB);
        assert.false(databaseExists(DB), `the test dropped ${DB}`);
    });

    QUnit.test("a missing tree, an unusable cache folder or a busy port is one sentence saying what to do", async (assert) => {
        const empty = tempDir("empty");
        const busy = net.createServer().listen(0, "127.0.0.1");
        await new Promise((resolve) => busy.once("listening", resolve));
        try {
            const cases = [
                { what: "ODOO_SRC without odoo-bin", env: { ODOO_SRC: empty, HELPDESK_SRC: trees.helpdesk }, says: /ODOO_SRC=.* does not hold odoo-bin: set ODOO_SRC to/ },
                { what: "HELPDESK_SRC without helpdesk_mgmt", env: { ODOO_SRC: trees.odoo, HELPDESK_SRC: empty }, says: /HELPDESK_SRC=.* does not hold helpdesk_mgmt\/__manifest__\.py: set HELPDESK_SRC to/ },
                {
                    what: "a cache folder that cannot be created",
                    env: { ODOO_SRC: trees.odoo, HELPDESK_SRC: trees.helpdesk, XDG_CACHE_HOME: path.join(repoRoot, "package.json") },
                    says: /Cannot create the folder .*: make it writable or set XDG_CACHE_HOME/,
                },
                {
                    what: "a port in use",
                    env: { ODOO_SRC: trees.odoo, HELPDESK_SRC: trees.helpdesk, HCB_PORT: String(busy.address().port) },
                    says: /Port \d+ on 127\.0\.0\.1 is in use: stop what listens there or set HCB_PORT/,
                },
            ];
            for (const { what, env, says } of cases) {
                const run = runScript("scripts/start.mjs", userEnv({ XDG_CACHE_HOME: cacheHome, HCB_DB: DB, ...env }));
                const { code } = await run.exited;
                const lines = failureLines(run.out.stderr);
                assert.strictEqual(code, 1, `npm start with ${what} exits 1`);
                assert.strictEqual(lines.length, 1, `in one line: ${lines.join(" | ")}`);
                assert.true(says.test(lines[0]) && lines[0].startsWith("npm start failed: "), `saying what to do: ${lines[0]}`);
                assert.false(STACK_FRAME.test(run.out.stdout + run.out.stderr), "with no stack trace");
            }
            // npm test runs its Node layers (a few seconds), then stops at the host with the same sentence.
            const test = runScript("scripts/test.mjs", userEnv({ XDG_CACHE_HOME: cacheHome, ODOO_SRC: empty }));
            const { code } = await test.exited;
            const lines = failureLines(test.out.stderr);
            assert.strictEqual(code, 1, "npm test with ODOO_SRC without odoo-bin exits 1");
            assert.strictEqual(lines.length, 1, `in one line: ${lines.join(" | ")}`);
            assert.true(/^npm test failed: ODOO_SRC=.* does not hold odoo-bin: set ODOO_SRC to/.test(lines[0]), `saying what to do: ${lines[0]}`);
            assert.true(/\d+ passed, 1 failed\n$/.test(test.out.stdout), "and closes with its counts");
            assert.false(STACK_FRAME.test(test.out.stdout + test.out.stderr), "with no stack trace");
        } finally {
            busy.close();
            fs.rmSync(empty, { recursive: true, force: true });
        }
    });
});
