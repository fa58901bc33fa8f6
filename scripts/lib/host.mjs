// The real host the addon runs on: Odoo 19 + OCA Helpdesk source trees, Debian
// packages, PostgreSQL, and Odoo server processes on loopback.
import { spawn, spawnSync, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const addonsDir = path.join(repoRoot, "addons");
export const cacheDir = path.join(
    process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"),
    "helpdesk-case-billing",
);
export const PYTHON = "/usr/bin/python3";
/** Odoo modules the addon needs on a database (its own manifest pulls in the rest). */
export const BASE_MODULES = ["account", "sale_timesheet", "helpdesk_mgmt", "helpdesk_mgmt_project"];

export const DEBIAN_PACKAGES = [
    "postgresql", "chromium", "fonts-dejavu-core", "poppler-utils", "wkhtmltopdf",
    "python3-asn1crypto", "python3-babel", "python3-cbor2", "python3-chardet",
    "python3-cryptography", "python3-dateutil", "python3-docutils", "python3-freezegun",
    "python3-geoip2", "python3-gevent", "python3-greenlet", "python3-idna", "python3-pil",
    "python3-jinja2", "python3-libsass", "python3-lxml", "python3-magic", "python3-markupsafe",
    "python3-num2words", "python3-ofxparse", "python3-openpyxl", "python3-passlib",
    "python3-polib", "python3-psutil", "python3-psycopg2", "python3-openssl", "python3-pypdf2",
    "python3-rjsmin", "python3-qrcode", "python3-renderpm", "python3-reportlab",
    "python3-requests", "python3-stdnum", "python3-tz", "python3-urllib3", "python3-vobject",
    "python3-werkzeug", "python3-xlsxwriter", "python3-xlrd", "python3-zeep",
];

export class HostError extends Error {}

export function log(message) {
    process.stderr.write(`[host] ${message}\n`);
}

function run(cmd, args, options = {}) {
    const result = spawnSync(cmd, args, { encoding: "utf8", ...options });
    return { status: result.status ?? 1, stdout: result.stdout || "", stderr: result.stderr || "", error: result.error };
}

/** Debian packages the host needs and that are not installed yet. */
export function missingPackages() {
    const res = run("dpkg-query", ["-W", "-f=${Package} ${db:Status-Status}\n", ...DEBIAN_PACKAGES]);
    const installed = new Set(
        res.stdout.split("\n").filter((l) => l.endsWith(" installed")).map((l) => l.split(" ")[0]),
    );
    return DEBIAN_PACKAGES.filter((p) => !installed.has(p));
}

export function ensurePackages() {
    const missing = missingPackages();
    if (!missing.length) {
        return;
    }
    if (process.getuid && process.getuid() !== 0) {
        throw new HostError(
            `These Debian packages are missing: ${missing.join(" ")}\n` +
                `Install them with: sudo apt-get update && sudo apt-get install -y ${missing.join(" ")}`,
        );
    }
    log(`installing Debian packages: ${missing.join(" ")}`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    for (const args of [["update", "-qq"], ["install", "-y", "-qq", "--no-install-recommends", ...missing]]) {
        const res = run("apt-get", args, { env, stdio: ["ignore", "ignore", "pipe"] });
        if (res.status !== 0) {
            throw new HostError(`apt-get ${args[0]} failed:\n${res.stderr}`);
        }
    }
}

function treeCandidates(envVar, defaultDir, marker) {
    const fromEnv = process.env[envVar];
    if (fromEnv) {
        if (!fs.existsSync(path.join(fromEnv, marker))) {
            throw new HostError(`${envVar}=${fromEnv} does not hold ${marker}.`);
        }
        return fromEnv;
    }
    return fs.existsSync(path.join(defaultDir, marker)) ? defaultDir : null;
}

function howToProvide() {
    return (
        "Provide Odoo 19.0 and OCA Helpdesk 19.0 source trees in one of these ways:\n" +
        "  - export ODOO_SRC=/path/to/odoo (the folder holding odoo-bin) and\n" +
        "    HELPDESK_SRC=/path/to/helpdesk (the folder holding helpdesk_mgmt/), or\n" +
        `  - put them at ${path.join(cacheDir, "odoo")} and ${path.join(cacheDir, "helpdesk")}, e.g.\n` +
        `      git clone --depth 1 -b 19.0 https://github.com/odoo/odoo ${path.join(cacheDir, "odoo")}\n` +
        `      git clone --depth 1 -b 19.0 https://github.com/OCA/helpdesk ${path.join(cacheDir, "helpdesk")}\n` +
        "    (`npm start` tries these clones itself)."
    );
}

function cloneInto(url, dest) {
    log(`cloning ${url} (branch 19.0) into ${dest}`);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    const res = run("git", ["clone", "--depth", "1", "-b", "19.0", url, dest], {
        stdio: ["ignore", "inherit", "pipe"],
        timeout: 30 * 60 * 1000,
    });
    if (res.status !== 0) {
        fs.rmSync(dest, { recursive: true, force: true });
        throw new HostError(`Could not clone ${url}: ${res.stderr.trim() || res.error || "git failed"}`);
    }
}

/**
 * Finds the Odoo and OCA Helpdesk trees: ODOO_SRC / HELPDESK_SRC, else the
 * cache folder; with `clone`, clones what is missing from the public repositories.
 */
export function findTrees({ clone = false } = {}) {
    let odoo = treeCandidates("ODOO_SRC", path.join(cacheDir, "odoo"), "odoo-bin");
    let helpdesk = treeCandidates("HELPDESK_SRC", path.join(cacheDir, "helpdesk"), "helpdesk_mgmt/__manifest__.py");
    try {
        if (!odoo && clone) {
            cloneInto("https://github.com/odoo/odoo", path.join(cacheDir, "odoo"));
            odoo = path.join(cacheDir, "odoo");
        }
        if (!helpdesk && clone) {
            cloneInto("https://github.com/OCA/helpdesk", path.join(cacheDir, "helpdesk"));
            helpdesk = path.join(cacheDir, "helpdesk");
        }
    } catch (error) {
        throw new HostError(`${error.message}\n\n${howToProvide()}`);
    }
    if (!odoo || !helpdesk) {
        const which = [!odoo && "Odoo (odoo-bin)", !helpdesk && "OCA Helpdesk (helpdesk_mgmt)"].filter(Boolean);
        throw new HostError(`Missing host source tree: ${which.join(" and ")}.\n\n${howToProvide()}`);
    }
    if (!fs.existsSync(path.join(helpdesk, "helpdesk_mgmt_project/__manifest__.py"))) {
        throw new HostError(`${helpdesk} has helpdesk_mgmt but not helpdesk_mgmt_project.\n\n${howToProvide()}`);
    }
    return { odoo, helpdesk };
}

export function addonsPath(trees) {
    // HCB_ADDONS_DIR: another folder holding the addon, e.g. the unpacked zip of `npm run package`.
    const ours = process.env.HCB_ADDONS_DIR || addonsDir;
    return [path.join(trees.odoo, "addons"), path.join(trees.odoo, "odoo/addons"), trees.helpdesk, ours].join(",");
}

/** Starts PostgreSQL when it is not accepting connections and makes sure our role exists. */
export function ensurePostgres() {
    const ready = () => run("pg_isready", ["-q"]).status === 0;
    if (!ready()) {
        log("starting PostgreSQL");
        const res = run("service", ["postgresql", "start"]);
        if (res.status !== 0) {
            throw new HostError(`Could not start PostgreSQL: ${res.stderr || res.stdout}`);
        }
        for (let i = 0; i < 60 && !ready(); i++) {
            spawnSync("sleep", ["0.5"]);
        }
        if (!ready()) {
            throw new HostError("PostgreSQL did not become ready.");
        }
    }
    const user = os.userInfo().username;
    if (run("psql", ["-d", "postgres", "-tAc", "select 1"]).status !== 0) {
        log(`creating PostgreSQL superuser role ${user}`);
        const res = run("su", ["postgres", "-c", `createuser -s ${user}`]);
        if (res.status !== 0 && !/already exists/.test(res.stderr)) {
            throw new HostError(`Could not create the PostgreSQL role ${user}: ${res.stderr}`);
        }
    }
}

/** Everything a machine needs before Odoo can run; shared by npm start, npm test and npm run bench. */
export function prepareHost({ clone = false } = {}) {
    const trees = findTrees({ clone });
    ensurePackages();
    ensurePostgres();
    return trees;
}

export function databaseExists(db) {
    const res = run("psql", ["-d", "postgres", "-tAc", `select 1 from pg_database where datname = '${db}'`]);
    return res.stdout.trim() === "1";
}

export function dropDatabase(db) {
    run("dropdb", ["--if-exists", "--force", db]);
    // Odoo keeps a filestore per database.
    fs.rmSync(path.join(os.homedir(), ".local/share/Odoo/filestore", db), { recursive: true, force: true });
}

export function freePort() {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.unref();
        server.on("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
    });
}

export function odooArgs(trees, db, extra = []) {
    return [
        path.join(trees.odoo, "odoo-bin"),
        "-d", db,
        `--db-filter=^${db}$`,
        `--addons-path=${addonsPath(trees)}`,
        "--http-interface=127.0.0.1",
        "--without-demo=True",
        ...extra,
    ];
}

/**
 * Runs odoo-bin to completion (install, tests); resolves with the exit code and
 * the log, which also streams to `logFile`.
 */
export function runOdoo(trees, db, extra, { logFile, echo } = {}) {
    return new Promise((resolve) => {
        const child = spawn(PYTHON, odooArgs(trees, db, [...extra, "--stop-after-init"]), {
            stdio: ["ignore", "pipe", "pipe"],
        });
        const out = logFile ? fs.createWriteStream(logFile) : null;
        let text = "";
        const onData = (chunk) => {
            const s = chunk.toString();
            text += s;
            out?.write(s);
            echo?.(s);
        };
        child.stdout.on("data", onData);
        child.stderr.on("data", onData);
        child.on("close", (code) => {
            out?.end();
            resolve({ code: code ?? 1, log: text });
        });
    });
}

/** An Odoo server on a loopback port, stopped with `.stop()`. */
export async function startOdooServer(trees, db, { port, logFile, extra = [] } = {}) {
    port = port || (await freePort());
    const child = spawn(PYTHON, odooArgs(trees, db, [`--http-port=${port}`, "--max-cron-threads=0", ...extra]), {
        stdio: ["ignore", "pipe", "pipe"],
        detached: false,
    });
    const out = logFile ? fs.createWriteStream(logFile) : null;
    let tail = "";
    const onData = (chunk) => {
        out?.write(chunk);
        tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    let exited = false;
    child.on("exit", () => {
        exited = true;
        out?.end();
    });
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 120_000;
    for (;;) {
        if (exited) {
            throw new HostError(`Odoo exited before serving ${url}:\n${tail}`);
        }
        try {
            const res = await fetch(`${url}/web/health`);
            if (res.ok) {
                break;
            }
        } catch {
            // not listening yet
        }
        if (Date.now() > deadline) {
            child.kill("SIGKILL");
            throw new HostError(`Odoo did not answer on ${url} within 120 s:\n${tail}`);
        }
        await new Promise((r) => setTimeout(r, 300));
    }
    return {
        url,
        port,
        process: child,
        stop() {
            return new Promise((resolve) => {
                if (exited) {
                    return resolve();
                }
                child.once("exit", () => resolve());
                child.kill("SIGTERM");
                setTimeout(() => !exited && child.kill("SIGKILL"), 10_000).unref();
            });
        },
    };
}

export function chromiumPath() {
    for (const candidate of [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"]) {
        if (candidate && fs.existsSync(candidate)) {
            return candidate;
        }
    }
    throw new HostError("Chromium not found: install Debian's `chromium` package or set CHROMIUM_PATH.");
}

export function gitVersion() {
    try {
        return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repoRoot, encoding: "utf8" }).trim();
    } catch {
        return "unknown";
    }
}
