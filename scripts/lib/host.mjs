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
/**
 * Our Odoo modules, the core first: the core bills cases on invoices; the
 * others add quotations, prepaid hours on sales orders and the customer's
 * approval on the portal. npm start, npm test, the benchmarks and the package
 * take all of them.
 */
export const OUR_MODULES = [
    "helpdesk_case_billing",
    "helpdesk_case_billing_sale",
    "helpdesk_case_billing_sale_timesheet",
    "helpdesk_case_billing_approval",
];
/** The host modules the core needs on a database (its manifest pulls in the rest). */
export const BASE_MODULES = ["account", "hr_timesheet", "helpdesk_mgmt"];

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

/**
 * A failure of the host with a message for the person at the keyboard: one
 * plain sentence saying what is wrong and what to do. The commands print it
 * as it is, never with a stack trace.
 */
export class HostError extends Error {}

export function log(message) {
    process.stderr.write(`[host] ${message}\n`);
}

/** The first non-empty line of a command's output, to quote it inside a sentence. */
function firstLine(text) {
    return String(text || "").split("\n").map((l) => l.trim()).find(Boolean) || "no output";
}

/** Creates a folder (and its parents) that a command is about to write into. */
export function ensureDir(dir) {
    try {
        fs.mkdirSync(dir, { recursive: true });
    } catch (error) {
        throw new HostError(`Cannot create the folder ${dir} (${error.code || error.message}): make it writable or set XDG_CACHE_HOME to a writable folder.`);
    }
    return dir;
}

/** A write stream for a log file whose folder is created first; write errors never crash the command. */
function openLog(logFile) {
    if (!logFile) {
        return null;
    }
    ensureDir(path.dirname(logFile));
    const stream = fs.createWriteStream(logFile);
    stream.on("error", (error) => log(`cannot write ${logFile}: ${error.message}`));
    return stream;
}

/**
 * Prints how a command failed and returns its exit code: a HostError as its
 * sentence, anything else as one line plus the file where its details are.
 */
export function reportFailure(command, error, detailsFile) {
    if (error instanceof HostError) {
        process.stderr.write(`\n${command} failed: ${error.message}\n`);
        return 1;
    }
    let where = detailsFile;
    try {
        fs.mkdirSync(path.dirname(detailsFile), { recursive: true });
        // An Odoo JSON-RPC error also carries the server's traceback.
        const server = error?.data?.debug ? `\nOdoo's traceback:\n${error.data.debug}` : "";
        fs.writeFileSync(detailsFile, `${new Date().toISOString()} ${command}\n${error?.stack || error}\n${server}`);
    } catch {
        where = null;
    }
    const message = firstLine(error?.message || error);
    process.stderr.write(
        `\n${command} failed unexpectedly: ${message}${where ? ` (details in ${where})` : ""}.\n`,
    );
    return 1;
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
            `These Debian packages are missing: ${missing.join(" ")}; install them with ` +
                `\`sudo apt-get update && sudo apt-get install -y ${missing.join(" ")}\` and run the command again.`,
        );
    }
    log(`installing Debian packages: ${missing.join(" ")}`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    for (const args of [["update", "-qq"], ["install", "-y", "-qq", "--no-install-recommends", ...missing]]) {
        const res = run("apt-get", args, { env, stdio: ["ignore", "ignore", "pipe"] });
        if (res.status !== 0) {
            throw new HostError(
                `apt-get ${args[0]} failed (${firstLine(res.stderr)}): run ` +
                    `\`apt-get update && apt-get install -y ${missing.join(" ")}\` yourself and run the command again.`,
            );
        }
    }
}

/**
 * The host trees, where they are looked for and how to get them: `dir` is
 * the default folder in the cache folder.
 */
const TREES = {
    odoo: {
        envVar: "ODOO_SRC", dir: "odoo", marker: "odoo-bin", label: "Odoo 19.0", url: "https://github.com/odoo/odoo",
    },
    helpdesk: {
        envVar: "HELPDESK_SRC", dir: "helpdesk-oca", marker: "helpdesk_mgmt/__manifest__.py", label: "OCA Helpdesk 19.0",
        url: "https://github.com/OCA/helpdesk",
    },
};

/**
 * The OCA Helpdesk tree that also holds helpdesk_mgmt_project (the official
 * 19.0 branch has none; the community port of the 18.0 modules has it). Only
 * the install next to helpdesk_mgmt_project needs it, and nothing clones it.
 */
const PORT_TREE = {
    envVar: "HELPDESK_PORT_SRC", dir: "helpdesk", label: "OCA Helpdesk tree with helpdesk_mgmt_project",
    markers: ["helpdesk_mgmt/__manifest__.py", "helpdesk_mgmt_project/__manifest__.py"],
};

function treeCandidates(tree) {
    const { envVar, dir, marker, label } = TREES[tree];
    const fromEnv = process.env[envVar];
    if (fromEnv) {
        if (!fs.existsSync(path.join(fromEnv, marker))) {
            throw new HostError(
                `${envVar}=${fromEnv} does not hold ${marker}: set ${envVar} to the ${label} source folder ` +
                    `that holds ${marker}, or unset it to use ${path.join(cacheDir, dir)}.`,
            );
        }
        return fromEnv;
    }
    const defaultDir = path.join(cacheDir, dir);
    return fs.existsSync(path.join(defaultDir, marker)) ? defaultDir : null;
}

function cloneInto(tree) {
    const { envVar, dir, marker, label, url } = TREES[tree];
    const dest = path.join(cacheDir, dir);
    log(`cloning ${url} (branch 19.0) into ${dest}`);
    ensureDir(cacheDir);
    const res = run("git", ["clone", "--depth", "1", "-b", "19.0", url, dest], {
        stdio: ["ignore", "inherit", "pipe"],
        timeout: 30 * 60 * 1000,
    });
    if (res.status !== 0) {
        fs.rmSync(dest, { recursive: true, force: true });
        const why = res.error ? res.error.code || res.error.message : firstLine(res.stderr);
        throw new HostError(
            `Could not clone ${url} into ${dest} (${why}): set ${envVar} to the ${label} source folder ` +
                `that holds ${marker}, or clone it there yourself with ` +
                `\`git clone --depth 1 -b 19.0 ${url} ${dest}\`.`,
        );
    }
    return dest;
}

function missingTree(tree, clone) {
    const { envVar, dir, marker, label, url } = TREES[tree];
    const dest = path.join(cacheDir, dir);
    return new HostError(
        `The ${label} source tree is missing: set ${envVar} to the folder that holds ${marker}, ` +
            (clone
                ? `or clone it into ${dest} with \`git clone --depth 1 -b 19.0 ${url} ${dest}\`.`
                : `or run \`npm start\` once, which clones it into ${dest}.`),
    );
}

/**
 * Finds the Odoo and OCA Helpdesk 19.0 trees: ODOO_SRC / HELPDESK_SRC, else
 * the cache folder; with `clone`, clones what is missing from the public repositories.
 */
export function findTrees({ clone = false } = {}) {
    const found = {};
    for (const tree of Object.keys(TREES)) {
        found[tree] = treeCandidates(tree) || (clone ? cloneInto(tree) : null);
        if (!found[tree]) {
            throw missingTree(tree, clone);
        }
    }
    return { odoo: found.odoo, helpdesk: found.helpdesk };
}

/**
 * The OCA Helpdesk tree with helpdesk_mgmt_project: HELPDESK_PORT_SRC, else
 * the cache folder. Fails with what to do when neither holds it.
 */
export function findPortTree() {
    const { envVar, dir, markers, label } = PORT_TREE;
    const fromEnv = process.env[envVar];
    const folder = fromEnv || path.join(cacheDir, dir);
    const missing = markers.filter((m) => !fs.existsSync(path.join(folder, m)));
    if (!missing.length) {
        return folder;
    }
    const what = "the folder that holds helpdesk_mgmt/ and helpdesk_mgmt_project/ (the community port of the 18.0 modules)";
    throw new HostError(
        fromEnv
            ? `${envVar}=${fromEnv} does not hold ${missing.join(" and ")}: set ${envVar} to ${what}, ` +
                `or unset it to use ${path.join(cacheDir, dir)}.`
            : `The ${label} is missing: set ${envVar} to ${what}, or put that tree in ${folder}.`,
    );
}

export function addonsPath(trees) {
    // trees.ours or HCB_ADDONS_DIR: another folder holding our modules, e.g. the
    // unpacked zip of `npm run package`, or an earlier release to upgrade from.
    const ours = trees.ours || process.env.HCB_ADDONS_DIR || addonsDir;
    return [path.join(trees.odoo, "addons"), path.join(trees.odoo, "odoo/addons"), trees.helpdesk, ours].join(",");
}

/** Starts PostgreSQL when it is not accepting connections and makes sure our role exists. */
export function ensurePostgres() {
    const ready = () => run("pg_isready", ["-q"]).status === 0;
    if (!ready()) {
        log("starting PostgreSQL");
        const res = run("service", ["postgresql", "start"]);
        if (res.status !== 0) {
            throw new HostError(
                `Could not start PostgreSQL (${firstLine(res.stderr || res.stdout || res.error?.code)}): ` +
                    "install the Debian package postgresql and start it with `sudo service postgresql start`, then run the command again.",
            );
        }
        for (let i = 0; i < 60 && !ready(); i++) {
            spawnSync("sleep", ["0.5"]);
        }
        if (!ready()) {
            throw new HostError(
                "PostgreSQL did not accept connections within 30 s of starting: check `service postgresql status` " +
                    "and /var/log/postgresql, then run the command again.",
            );
        }
    }
    const user = os.userInfo().username;
    if (run("psql", ["-d", "postgres", "-tAc", "select 1"]).status !== 0) {
        log(`creating PostgreSQL superuser role ${user}`);
        const res = run("su", ["postgres", "-c", `createuser -s ${user}`]);
        if (res.status !== 0 && !/already exists/.test(res.stderr)) {
            throw new HostError(
                `Could not create the PostgreSQL role ${user} (${firstLine(res.stderr)}): create it with ` +
                    `\`sudo su postgres -c "createuser -s ${user}"\` and run the command again.`,
            );
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

/**
 * Creates `db` as a copy of `template` (createdb -T), with its filestore:
 * both then hold the same modules and data. Nothing may be connected to the template.
 */
export function copyDatabase(template, db) {
    const res = run("createdb", ["-T", template, db]);
    if (res.status !== 0) {
        throw new HostError(
            `Could not copy the database ${template} into ${db} (${firstLine(res.stderr || res.error?.code)}): ` +
                "make sure nothing else is connected to it and run the command again.",
        );
    }
    const filestore = path.join(os.homedir(), ".local/share/Odoo/filestore");
    if (fs.existsSync(path.join(filestore, template))) {
        fs.cpSync(path.join(filestore, template), path.join(filestore, db), { recursive: true });
    }
}

/** Whether nothing listens on 127.0.0.1:port. */
export function portIsFree(port) {
    return new Promise((resolve) => {
        const server = net.createServer();
        server.unref();
        server.once("error", () => resolve(false));
        server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
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

/** odoo-bin processes started by this command that have not exited yet. */
const liveChildren = new Set();

function track(child) {
    liveChildren.add(child);
    child.on("exit", () => liveChildren.delete(child));
    return child;
}

/** Stops every odoo-bin this command started (SIGTERM, then SIGKILL after 10 s). */
export function stopOdooProcesses() {
    return Promise.all([...liveChildren].map((child) => new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
            return resolve();
        }
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.exitCode === null && child.kill("SIGKILL"), 10_000).unref();
    })));
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
    const out = openLog(logFile);
    return new Promise((resolve) => {
        const child = track(spawn(PYTHON, odooArgs(trees, db, [...extra, "--stop-after-init"]), {
            stdio: ["ignore", "pipe", "pipe"],
        }));
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

/** The last ERROR/CRITICAL message of an Odoo log, or its last line, to quote in a sentence. */
function lastLogError(text) {
    const lines = String(text).split("\n").map((l) => l.trim()).filter(Boolean);
    const error = [...lines].reverse().find((l) => / (ERROR|CRITICAL) /.test(l));
    const line = (error || lines.at(-1) || "no output").replace(/^\S+ \S+ \d+ (ERROR|CRITICAL) \S+ /, "");
    return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** An Odoo server on a loopback port, stopped with `.stop()`. */
export async function startOdooServer(trees, db, { port, logFile, extra = [] } = {}) {
    if (port && !(await portIsFree(port))) {
        throw new HostError(
            `Port ${port} on 127.0.0.1 is in use: stop what listens there or choose another port (HCB_PORT for npm start).`,
        );
    }
    port = port || (await freePort());
    const out = openLog(logFile);
    const child = track(spawn(PYTHON, odooArgs(trees, db, [`--http-port=${port}`, "--max-cron-threads=0", ...extra]), {
        stdio: ["ignore", "pipe", "pipe"],
        detached: false,
    }));
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
            throw new HostError(
                `Odoo exited before serving ${url} (${lastLogError(tail)}): ` +
                    `${logFile ? `read ${logFile}, ` : ""}fix the cause and run the command again.`,
            );
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
            throw new HostError(
                `Odoo did not answer on ${url} within 120 s (${lastLogError(tail)}): ` +
                    `${logFile ? `read ${logFile}, ` : ""}fix the cause and run the command again.`,
            );
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

/**
 * Runs `cleanups` (last in, first out, each whatever the others do) after
 * `before`, also on Ctrl-C or SIGTERM; returns the function that runs them.
 */
export function registerCleanups(cleanups, before = async () => {}) {
    const cleanup = async () => {
        await before();
        while (cleanups.length) {
            try {
                await cleanups.pop()();
            } catch {
                // keep cleaning the rest
            }
        }
    };
    for (const signal of ["SIGINT", "SIGTERM"]) {
        process.on(signal, async () => {
            await cleanup();
            process.exit(130);
        });
    }
    return cleanup;
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
