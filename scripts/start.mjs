// `npm start`: brings the host up (packages, PostgreSQL, Odoo with the addon
// and demo data) and serves it on loopback until Ctrl-C.
import path from "node:path";
import {
    HostError, cacheDir, databaseExists, log, prepareHost, runOdoo, startOdooServer,
} from "./lib/host.mjs";
import { seedDemo } from "./lib/demo_data.mjs";
import { OdooRpc } from "../tests/lib/odoo_rpc.mjs";

const db = process.env.HCB_DB || "helpdesk_case_billing_demo";
const port = Number(process.env.HCB_PORT || 8069);

async function main() {
    const trees = prepareHost({ clone: true });
    log(`Odoo: ${trees.odoo}\n[host] OCA Helpdesk: ${trees.helpdesk}`);
    const fresh = !databaseExists(db);
    log(fresh ? `creating database ${db} with the addon (about a minute)` : `reusing database ${db}, updating the addon`);
    const logFile = path.join(cacheDir, `${db}-install.log`);
    const { code, log: out } = await runOdoo(
        trees, db, [fresh ? "-i" : "-u", "helpdesk_case_billing", "--http-port=0", "--log-level=warn"], { logFile },
    );
    if (code !== 0 || /\b(ERROR|CRITICAL)\b \S+ odoo\.(modules|addons\.helpdesk_case_billing)/.test(out)) {
        throw new HostError(`Installing the addon failed; see ${logFile}`);
    }
    const server = await startOdooServer(trees, db, { port, logFile: path.join(cacheDir, `${db}-server.log`) });
    const rpc = new OdooRpc(server.url);
    await rpc.login(db, "admin", "admin");
    const seeded = await seedDemo(rpc);
    log(seeded.seeded ? "demo data seeded through JSON-RPC" : "demo data already there");
    process.stdout.write(
        `\nHelpdesk Case Billing is running.\n  URL:      ${server.url}/odoo/action-helpdesk_mgmt.helpdesk_ticket_action\n` +
        `  Login:    admin\n  Password: admin\n  Database: ${db}\n  Server log: ${path.join(cacheDir, `${db}-server.log`)}\n` +
        "Press Ctrl-C to stop.\n",
    );
    const stop = async () => {
        process.stdout.write("\nStopping Odoo...\n");
        await server.stop();
        process.exit(0);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    server.process.on("exit", (status) => {
        process.stdout.write(`Odoo stopped (exit ${status}).\n`);
        process.exit(status ? 1 : 0);
    });
}

main().catch((error) => {
    process.stderr.write(`\nnpm start failed:\n${error instanceof HostError ? error.message : error.stack}\n`);
    process.exit(1);
});
