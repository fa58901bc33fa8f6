// `npm start`: brings the host up (packages, PostgreSQL, Odoo with our four
// modules and demo data) and serves it on loopback until Ctrl-C. Every failure ends as
// one sentence saying what to do (HostError), never a stack trace.
import path from "node:path";
import {
    HostError, OUR_MODULES, cacheDir, databaseExists, dropDatabase, ensureDir, log, portIsFree, prepareHost, reportFailure,
    runOdoo, startOdooServer, stopOdooProcesses,
} from "./lib/host.mjs";
import { seedDemo } from "./lib/demo_data.mjs";
import { OdooRpc } from "../tests/lib/odoo_rpc.mjs";

const db = process.env.HCB_DB || "helpdesk_case_billing_demo";
const port = Number(process.env.HCB_PORT || 8069);
const installLog = path.join(cacheDir, `${db}-install.log`);
const serverLog = path.join(cacheDir, `${db}-server.log`);
const errorLog = path.join(cacheDir, "npm-start-error.log");
let server = null;
let stopping = false;
/** Set while odoo-bin creates the database: an interrupted creation is dropped, not reused half-made. */
let creating = false;

async function main() {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new HostError(`HCB_PORT=${process.env.HCB_PORT} is not a port number: set it to a free port such as 8069.`);
    }
    // The logs go to the cache folder, which exists only once something was cloned into it.
    ensureDir(cacheDir);
    const trees = prepareHost({ clone: true });
    if (!(await portIsFree(port))) {
        // Said now rather than after a minute of installing.
        throw new HostError(`Port ${port} on 127.0.0.1 is in use: stop what listens there or set HCB_PORT to a free port.`);
    }
    log(`Odoo: ${trees.odoo}\n[host] OCA Helpdesk: ${trees.helpdesk}`);
    const fresh = !databaseExists(db);
    const modules = OUR_MODULES.join(",");
    log(fresh ? `creating database ${db} with ${modules} (a minute or two)` : `reusing database ${db}, updating ${modules}`);
    creating = fresh;
    // On an existing database, -i installs the modules it does not have yet and -u updates the others.
    const { code, log: out } = await runOdoo(
        trees, db, [...(fresh ? ["-i", modules] : ["-i", modules, "-u", modules]), "--http-port=0", "--log-level=warn"],
        { logFile: installLog },
    );
    creating = false;
    // odoo.addons.helpdesk_case_billing is the prefix of the loggers of all our modules.
    if (code !== 0 || /\b(ERROR|CRITICAL)\b \S+ odoo\.(modules|addons\.helpdesk_case_billing)/.test(out)) {
        throw new HostError(
            `${fresh ? "Installing" : "Updating"} ${modules} on the database ${db} failed: read ${installLog}, ` +
                "fix the cause and run npm start again.",
        );
    }
    server = await startOdooServer(trees, db, { port, logFile: serverLog });
    server.process.on("exit", (status) => {
        if (stopping) {
            return;
        }
        process.stderr.write(
            `\nnpm start failed: Odoo stopped by itself (exit ${status ?? "by signal"}): read ${serverLog}, ` +
                "fix the cause and run npm start again.\n",
        );
        process.exit(1);
    });
    const rpc = new OdooRpc(server.url);
    try {
        await rpc.login(db, "admin", "admin");
    } catch (error) {
        throw new HostError(
            `Odoo refused the login admin/admin on ${db} (${error.message}): ` +
                `drop that database (dropdb ${db}) or choose another one with HCB_DB, then run npm start again.`,
        );
    }
    const seeded = await seedDemo(rpc);
    log(seeded.seeded ? "demo data seeded through JSON-RPC" : "demo data already there");
    process.stdout.write(
        `\nHelpdesk Case Billing is running.\n  URL:      ${server.url}/odoo/action-helpdesk_mgmt.helpdesk_ticket_action\n` +
        `  Login:    admin\n  Password: admin\n  Database: ${db}\n  Server log: ${serverLog}\n` +
        "Press Ctrl-C to stop.\n",
    );
}

/** Stops what this command started and exits: Ctrl-C, SIGTERM or a failure. */
async function stop(exitCode) {
    if (stopping) {
        return;
    }
    stopping = true;
    if (server) {
        process.stdout.write("\nStopping Odoo...\n");
        await server.stop();
        process.stdout.write("Odoo stopped.\n");
    }
    await stopOdooProcesses();
    if (creating && exitCode === 130) {
        dropDatabase(db);
        process.stderr.write(`\nnpm start interrupted while creating ${db}; the half-made database was dropped.\n`);
    }
    process.exit(exitCode);
}

// Ctrl-C once Odoo serves is the normal way to stop (exit 0); before that it interrupts (130).
for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => stop(server ? 0 : 130));
}

main().catch((error) => stop(reportFailure("npm start", error, errorLog)));
