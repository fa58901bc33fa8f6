// Upgrade, uninstall and reinstall of the addon on a database with billed
// cases, as a consultant does it on a client database: through odoo-bin -u and
// the Apps buttons (ir.module.module), against a real Odoo.
import path from "node:path";
import { findTrees, runOdoo, startOdooServer } from "../../scripts/lib/host.mjs";
import { OdooRpc } from "../lib/odoo_rpc.mjs";
import { billingTeam, closedCase, customer, draftInvoice } from "../browser/lib/fixtures.mjs";

const DB = process.env.HCB_LIFECYCLE_DB;
const LOG_DIR = process.env.HCB_LOG_DIR || "/tmp";
if (!DB) {
    throw new Error("The lifecycle tests need HCB_LIFECYCLE_DB: run them through `npm test`.");
}
const trees = findTrees();
const MODULE = "helpdesk_case_billing";

async function withServer(name, fn) {
    const server = await startOdooServer(trees, DB, { logFile: path.join(LOG_DIR, `lifecycle-${name}.log`) });
    try {
        const rpc = new OdooRpc(server.url);
        await rpc.login(DB, "admin", "admin");
        return await fn(rpc);
    } finally {
        await server.stop();
    }
}

async function moduleState(rpc) {
    const [row] = await rpc.searchRead("ir.module.module", [["name", "=", MODULE]], ["state"]);
    return row.state;
}

async function installAddon(rpc) {
    const [module] = await rpc.searchRead("ir.module.module", [["name", "=", MODULE]], ["id"]);
    await rpc.call("ir.module.module", "button_immediate_install", [[module.id]]);
}

QUnit.module("install lifecycle", () => {
    const billed = {};

    QUnit.test("installing from Apps on a database that already has cases gives them a financial status", async (assert) => {
        await withServer("before-install", async (rpc) => {
            const team = await rpc.create("helpdesk.ticket.team", { name: "Team from before the addon" });
            // helpdesk_mgmt 19.0.1.0.0 alone cannot post on a ticket (the addon fixes that): no chatter here.
            billed.oldCase = await rpc.create(
                "helpdesk.ticket", { name: "Case from before", description: "<p>x</p>", team_id: team }, { tracking_disable: true },
            );
            billed.oldTeam = team;
            await installAddon(rpc);
        });
        await withServer("after-install", async (rpc) => {
            assert.strictEqual(await moduleState(rpc), "installed");
            const [row] = await rpc.searchRead("helpdesk.ticket", [["id", "=", billed.oldCase]], ["billing_status_id", "billing_blockers"]);
            assert.strictEqual(row.billing_status_id && row.billing_status_id[1], "Billable", "the existing case has its team's default status");
            assert.true(/Billing is not enabled for team/.test(row.billing_blockers), `and says why it is not billable: ${row.billing_blockers}`);
            const [team] = await rpc.searchRead("helpdesk.ticket.team", [["id", "=", billed.oldTeam]], ["case_billing_product_id", "case_billing_unit_minutes"]);
            assert.true(Boolean(team.case_billing_product_id), "the existing team got the work-hours product");
            assert.strictEqual(team.case_billing_unit_minutes, 15);
        });
    });

    QUnit.test("a posted invoice bills a case and a draft one another", async (assert) => {
        await withServer("setup", async (rpc) => {
            const { team, project } = await billingTeam(rpc);
            const { company } = await customer(rpc);
            billed.posted = await closedCase(rpc, { team, project, partner: company, minutes: 20, title: "Lifecycle posted" });
            billed.draft = await closedCase(rpc, { team, project, partner: company, minutes: 50, title: "Lifecycle draft" });
            billed.postedInvoice = await draftInvoice(rpc, company);
            await rpc.call("account.move", "action_add_helpdesk_cases", [[billed.postedInvoice], [billed.posted.id]]);
            await rpc.call("account.move", "action_post", [[billed.postedInvoice]]);
            billed.draftInvoice = await draftInvoice(rpc, company);
            await rpc.call("account.move", "action_add_helpdesk_cases", [[billed.draftInvoice], [billed.draft.id]]);
            billed.lines = await rpc.searchRead(
                "account.move.line", [["helpdesk_ticket_id", "in", [billed.posted.id, billed.draft.id]]],
                ["id", "name", "quantity", "price_subtotal", "move_id", "helpdesk_ticket_id"],
            );
            assert.strictEqual(billed.lines.length, 2, "two invoice lines bill the two cases");
        });
    });

    QUnit.test("upgrading the addon (-u) keeps every link of billed cases", async (assert) => {
        const { code, log } = await runOdoo(trees, DB, ["-u", MODULE, "--http-port=0", "--log-level=warn"], {
            logFile: path.join(LOG_DIR, "lifecycle-upgrade.log"),
        });
        assert.strictEqual(code, 0, "odoo-bin -u succeeded");
        assert.false(/ (ERROR|CRITICAL) /.test(log), "no error in the upgrade log");
        await withServer("after-upgrade", async (rpc) => {
            const cases = await rpc.searchRead(
                "helpdesk.ticket", [["id", "in", [billed.posted.id, billed.draft.id]]],
                ["invoice_id", "billing_kind", "billing_status_id"],
            );
            const byId = Object.fromEntries(cases.map((c) => [c.id, c]));
            assert.strictEqual(byId[billed.posted.id].invoice_id[0], billed.postedInvoice);
            assert.strictEqual(byId[billed.draft.id].invoice_id[0], billed.draftInvoice);
            assert.deepEqual(cases.map((c) => c.billing_kind), ["billed", "billed"], "both cases stay invoiced");
            const lines = await rpc.searchRead("account.move.line", [["id", "in", billed.lines.map((l) => l.id)]], ["helpdesk_ticket_id"]);
            assert.deepEqual(
                lines.map((l) => l.helpdesk_ticket_id[0]).sort(), [billed.posted.id, billed.draft.id].sort(),
                "the invoice lines still point at their cases",
            );
        });
    });

    QUnit.test("uninstalling leaves the invoices intact, with their labels", async (assert) => {
        await withServer("uninstall", async (rpc) => {
            const [module] = await rpc.searchRead("ir.module.module", [["name", "=", MODULE]], ["id"]);
            await rpc.call("ir.module.module", "button_immediate_uninstall", [[module.id]]);
        });
        await withServer("after-uninstall", async (rpc) => {
            assert.strictEqual(await moduleState(rpc), "uninstalled");
            const lines = await rpc.searchRead(
                "account.move.line", [["id", "in", billed.lines.map((l) => l.id)]], ["name", "quantity", "price_subtotal", "move_id"],
            );
            assert.strictEqual(lines.length, 2, "the invoice lines are still there");
            for (const before of billed.lines) {
                const after = lines.find((l) => l.id === before.id);
                assert.strictEqual(after.name, before.name, `label kept: ${before.name}`);
                assert.strictEqual(after.quantity, before.quantity);
                assert.strictEqual(after.price_subtotal, before.price_subtotal);
            }
            const [posted] = await rpc.searchRead("account.move", [["id", "=", billed.postedInvoice]], ["state"]);
            assert.strictEqual(posted.state, "posted", "the posted invoice stays posted");
            const fields = await rpc.call("helpdesk.ticket", "fields_get", [], { attributes: ["type"] });
            assert.false("billing_status_id" in fields, "the addon's fields are gone");
        });
    });

    QUnit.test("reinstalling works and bills again", async (assert) => {
        await withServer("reinstall", installAddon);
        await withServer("after-reinstall", async (rpc) => {
            assert.strictEqual(await moduleState(rpc), "installed");
            const { team, project } = await billingTeam(rpc);
            const { company } = await customer(rpc);
            const fresh = await closedCase(rpc, { team, project, partner: company, minutes: 20, title: "After reinstall" });
            const invoice = await draftInvoice(rpc, company);
            const result = await rpc.call("account.move", "action_add_helpdesk_cases", [[invoice], [fresh.id]]);
            assert.strictEqual(result.case_count, 1);
            assert.strictEqual(result.unit_count, 2, "20 minutes at 15-minute units: 2 units");
        });
    });
});
