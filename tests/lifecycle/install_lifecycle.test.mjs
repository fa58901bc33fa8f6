// The life of each of our modules on a client database, as a consultant
// lives it, against a real Odoo over the official OCA Helpdesk 19.0 tree:
// installed alone (with only what it depends on), upgraded (odoo-bin -u) and
// uninstalled from Apps, leaving customer invoices and their lines intact; the
// core also on a database that already has cases, and reinstalled. Then all
// four next to helpdesk_mgmt_project of the community port, billing a case.
//
// Every module gets its own database, a copy of HCB_LIFECYCLE_TEMPLATE (the
// host modules the core needs, installed once by npm test):
// `<HCB_LIFECYCLE_PREFIX>_<module>`, and `<HCB_LIFECYCLE_PREFIX>_port` for the
// port; npm test drops them all when it ends.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
    HostError, OUR_MODULES, addonsDir, copyDatabase, repoRoot, dropDatabase, findPortTree, findTrees, runOdoo, startOdooServer,
} from "../../scripts/lib/host.mjs";
import { OdooRpc } from "../lib/odoo_rpc.mjs";
import { billingTeam, closedCase, customer, draftInvoice } from "../browser/lib/fixtures.mjs";

const TEMPLATE = process.env.HCB_LIFECYCLE_TEMPLATE;
const PREFIX = process.env.HCB_LIFECYCLE_PREFIX;
const LOG_DIR = process.env.HCB_LOG_DIR || "/tmp";
if (!TEMPLATE || !PREFIX) {
    throw new Error("The lifecycle tests need HCB_LIFECYCLE_TEMPLATE and HCB_LIFECYCLE_PREFIX: run them through `npm test`.");
}
const trees = findTrees();
const [CORE, SALE, SALE_TIMESHEET, APPROVAL] = OUR_MODULES;
const INSTALL_TIMEOUT = 600_000;
const ERROR_LINE = / (ERROR|CRITICAL) /;

/** The modules a module of ours depends on, from its manifest in the addons folder under test. */
function manifestDepends(module) {
    const manifest = fs.readFileSync(path.join(process.env.HCB_ADDONS_DIR || addonsDir, module, "__manifest__.py"), "utf8");
    const list = /["']depends["']\s*:\s*\[([^\]]*)\]/.exec(manifest);
    return list ? [...list[1].matchAll(/["'](\w+)["']/g)].map((match) => match[1]) : [];
}

/**
 * What installing each module alone brings along: its dependencies, and
 * with sale_management the prepaid hours (sale_timesheet installs itself next
 * to hr_timesheet, and ours next to it); and what it must not bring.
 */
const INSTALLED_WITH = {
    [CORE]: manifestDepends(CORE),
    [SALE]: [...manifestDepends(SALE), "sale_timesheet", SALE_TIMESHEET],
    [SALE_TIMESHEET]: manifestDepends(SALE_TIMESHEET),
    [APPROVAL]: manifestDepends(APPROVAL),
};
const NOT_INSTALLED_WITH = {
    [CORE]: ["sale", "sale_timesheet", SALE, SALE_TIMESHEET, APPROVAL],
    [SALE]: [APPROVAL],
    [SALE_TIMESHEET]: [APPROVAL],
    [APPROVAL]: ["sale", "sale_timesheet", SALE, SALE_TIMESHEET],
};
/** Uninstalling a module uninstalls those of ours that depend on it. */
const dependentsOf = (module) => OUR_MODULES.filter((other) => manifestDepends(other).includes(module));

async function withServer(db, name, fn, hostTrees = trees) {
    const server = await startOdooServer(hostTrees, db, { logFile: path.join(LOG_DIR, `lifecycle-${db}-${name}.log`) });
    try {
        const rpc = new OdooRpc(server.url);
        await rpc.login(db, "admin", "admin");
        return await fn(rpc);
    } finally {
        await server.stop();
    }
}

/** The state of each module named, from ir.module.module ("not found" when Odoo does not know it). */
async function moduleStates(rpc, names) {
    const rows = await rpc.searchRead("ir.module.module", [["name", "in", names]], ["name", "state"]);
    return Object.fromEntries(names.map((name) => [name, rows.find((r) => r.name === name)?.state || "not found"]));
}

async function moduleAction(rpc, module, action) {
    const [row] = await rpc.searchRead("ir.module.module", [["name", "=", module]], ["id"]);
    await rpc.call("ir.module.module", action, [[row.id]]);
}

/** Asserts the states of modules: the `installed` ones installed, the `absent` ones not (uninstalled or unknown). */
async function assertStates(assert, rpc, { installed = [], absent = [] }, why) {
    const states = await moduleStates(rpc, [...installed, ...absent]);
    const actual = {};
    const expected = {};
    for (const name of installed) {
        actual[name] = states[name];
        expected[name] = "installed";
    }
    for (const name of absent) {
        actual[name] = states[name] === "installed" ? "installed" : "not installed";
        expected[name] = "not installed";
    }
    assert.deepEqual(actual, expected, why);
}

/** A case billed on a posted customer invoice, with the invoice's lines as they are now. */
async function postedInvoiceWithCase(rpc, title) {
    const { team, project } = await billingTeam(rpc);
    const { company } = await customer(rpc);
    const ticket = await closedCase(rpc, { team, project, partner: company, minutes: 20, title });
    const invoice = await draftInvoice(rpc, company);
    await rpc.call("account.move", "action_add_helpdesk_cases", [[invoice], [ticket.id]]);
    await rpc.call("account.move", "action_post", [[invoice]]);
    const lines = await rpc.searchRead(
        "account.move.line", [["move_id", "=", invoice], ["display_type", "=", "product"]],
        ["id", "name", "quantity", "price_subtotal", "helpdesk_ticket_id"],
    );
    return { invoice, ticket, lines };
}

/** Asserts that an invoice is still posted with the same product lines, labels, quantities and amounts. */
async function assertInvoiceIntact(assert, rpc, billed) {
    const [move] = await rpc.searchRead("account.move", [["id", "=", billed.invoice]], ["state", "move_type"]);
    assert.deepEqual(move && { state: move.state, move_type: move.move_type }, { state: "posted", move_type: "out_invoice" }, "the customer invoice is still there, posted");
    const lines = await rpc.searchRead(
        "account.move.line", [["move_id", "=", billed.invoice], ["display_type", "=", "product"]], ["id", "name", "quantity", "price_subtotal"],
    );
    assert.deepEqual(
        lines.map(({ id, name, quantity, price_subtotal }) => ({ id, name, quantity, price_subtotal })),
        billed.lines.map(({ id, name, quantity, price_subtotal }) => ({ id, name, quantity, price_subtotal })),
        "with the same lines: labels, quantities and amounts",
    );
}

QUnit.module("install lifecycle: the core alone, on a database that already has cases", (hooks) => {
    const db = `${PREFIX}_${CORE}`;
    const billed = {};
    hooks.after(() => dropDatabase(db));

    QUnit.test("installing from Apps brings only its dependencies and gives existing cases a financial status", async (assert) => {
        assert.timeout(INSTALL_TIMEOUT);
        dropDatabase(db);
        copyDatabase(TEMPLATE, db);
        await withServer(db, "before-install", async (rpc) => {
            const team = await rpc.create("helpdesk.ticket.team", { name: "Team from before the addon" });
            billed.oldCase = await rpc.create(
                "helpdesk.ticket", { name: "Case from before", description: "<p>x</p>", team_id: team }, { tracking_disable: true },
            );
            billed.oldTeam = team;
            await moduleAction(rpc, CORE, "button_immediate_install");
        });
        await withServer(db, "after-install", async (rpc) => {
            await assertStates(
                assert, rpc, { installed: [CORE, ...INSTALLED_WITH[CORE]], absent: NOT_INSTALLED_WITH[CORE] },
                "the core is installed without sale, sale_timesheet or our other modules",
            );
            const [row] = await rpc.searchRead("helpdesk.ticket", [["id", "=", billed.oldCase]], ["billing_status_id", "billing_blockers"]);
            assert.strictEqual(row.billing_status_id && row.billing_status_id[1], "Billable", "the existing case has its team's default status");
            assert.true(/Billing is not enabled for team/.test(row.billing_blockers), `and says why it is not billable: ${row.billing_blockers}`);
            const [team] = await rpc.searchRead("helpdesk.ticket.team", [["id", "=", billed.oldTeam]], ["case_billing_product_id", "case_billing_unit_minutes"]);
            assert.true(Boolean(team.case_billing_product_id), "the existing team got the work-hours product");
            assert.strictEqual(team.case_billing_unit_minutes, 15);
        });
    });

    QUnit.test("a posted invoice bills a case and a draft one another", async (assert) => {
        await withServer(db, "setup", async (rpc) => {
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

    QUnit.test("upgrading the core (-u) keeps every link of billed cases", async (assert) => {
        assert.timeout(INSTALL_TIMEOUT);
        const { code, log } = await runOdoo(trees, db, ["-u", CORE, "--http-port=0", "--log-level=warn"], {
            logFile: path.join(LOG_DIR, `lifecycle-${db}-upgrade.log`),
        });
        assert.strictEqual(code, 0, "odoo-bin -u succeeded");
        assert.false(ERROR_LINE.test(log), "no error in the upgrade log");
        await withServer(db, "after-upgrade", async (rpc) => {
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
        assert.timeout(INSTALL_TIMEOUT);
        await withServer(db, "uninstall", (rpc) => moduleAction(rpc, CORE, "button_immediate_uninstall"));
        await withServer(db, "after-uninstall", async (rpc) => {
            await assertStates(assert, rpc, { installed: INSTALLED_WITH[CORE], absent: [CORE] }, "the core is uninstalled, the host modules stay");
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
            assert.false("billing_status_id" in fields, "the core's fields are gone");
        });
    });

    QUnit.test("reinstalling works and bills again", async (assert) => {
        assert.timeout(INSTALL_TIMEOUT);
        await withServer(db, "reinstall", (rpc) => moduleAction(rpc, CORE, "button_immediate_install"));
        await withServer(db, "after-reinstall", async (rpc) => {
            await assertStates(assert, rpc, { installed: [CORE], absent: NOT_INSTALLED_WITH[CORE] }, "the core is installed again, alone");
            const { team, project } = await billingTeam(rpc);
            const { company } = await customer(rpc);
            const fresh = await closedCase(rpc, { team, project, partner: company, minutes: 20, title: "After reinstall" });
            const invoice = await draftInvoice(rpc, company);
            const result = await rpc.call("account.move", "action_add_helpdesk_cases", [[invoice], [fresh.id]]);
            assert.strictEqual(result.case_count, 1);
            assert.deepEqual(result.units, [{ minutes: 15, units: 2 }], "20 minutes at 15-minute units: 2 units of 15 min");
        });
    });
});

for (const module of [SALE, SALE_TIMESHEET, APPROVAL]) {
    QUnit.module(`install lifecycle: ${module} alone`, (hooks) => {
        const db = `${PREFIX}_${module}`;
        let billed = null;
        hooks.after(() => dropDatabase(db));

        QUnit.test("odoo-bin -i installs it with its dependencies only, and the core bills a case", async (assert) => {
            assert.timeout(INSTALL_TIMEOUT);
            dropDatabase(db);
            copyDatabase(TEMPLATE, db);
            const { code, log } = await runOdoo(trees, db, ["-i", module, "--http-port=0", "--log-level=warn"], {
                logFile: path.join(LOG_DIR, `lifecycle-${db}-install.log`),
            });
            assert.strictEqual(code, 0, `odoo-bin -i ${module} succeeded`);
            assert.false(ERROR_LINE.test(log), "no error in the install log");
            await withServer(db, "after-install", async (rpc) => {
                await assertStates(
                    assert, rpc, { installed: [module, ...INSTALLED_WITH[module]], absent: NOT_INSTALLED_WITH[module] },
                    `${module} is installed with ${INSTALLED_WITH[module].join(", ")}, without ${NOT_INSTALLED_WITH[module].join(", ")}`,
                );
                billed = await postedInvoiceWithCase(rpc, `Billed next to ${module}`);
                assert.deepEqual(
                    billed.lines.map((l) => l.helpdesk_ticket_id && l.helpdesk_ticket_id[0]), [billed.ticket.id],
                    "a posted customer invoice bills the case in one line",
                );
            });
        });

        QUnit.test("odoo-bin -u upgrades it and the invoice keeps its case", async (assert) => {
            assert.timeout(INSTALL_TIMEOUT);
            const { code, log } = await runOdoo(trees, db, ["-u", module, "--http-port=0", "--log-level=warn"], {
                logFile: path.join(LOG_DIR, `lifecycle-${db}-upgrade.log`),
            });
            assert.strictEqual(code, 0, `odoo-bin -u ${module} succeeded`);
            assert.false(ERROR_LINE.test(log), "no error in the upgrade log");
            await withServer(db, "after-upgrade", async (rpc) => {
                await assertStates(assert, rpc, { installed: [module] }, `${module} is still installed`);
                const [ticket] = await rpc.searchRead("helpdesk.ticket", [["id", "=", billed.ticket.id]], ["invoice_id", "billing_kind"]);
                assert.deepEqual(
                    { invoice: ticket.invoice_id && ticket.invoice_id[0], kind: ticket.billing_kind },
                    { invoice: billed.invoice, kind: "billed" },
                    "the case is still billed on its invoice",
                );
            });
        });

        QUnit.test("uninstalling it from Apps leaves the customer invoice and its lines intact", async (assert) => {
            assert.timeout(INSTALL_TIMEOUT);
            await withServer(db, "uninstall", (rpc) => moduleAction(rpc, module, "button_immediate_uninstall"));
            await withServer(db, "after-uninstall", async (rpc) => {
                const gone = [module, ...dependentsOf(module)];
                await assertStates(assert, rpc, { installed: [CORE], absent: gone }, `${gone.join(" and ")} uninstalled, the core stays`);
                const left = await rpc.call("ir.model.data", "search_count", [[["module", "=", module]]]);
                assert.strictEqual(left, 0, `no record of ${module} is left in ir.model.data`);
                await assertInvoiceIntact(assert, rpc, billed);
                const lines = await rpc.searchRead("account.move.line", [["id", "in", billed.lines.map((l) => l.id)]], ["helpdesk_ticket_id"]);
                assert.deepEqual(lines.map((l) => l.helpdesk_ticket_id && l.helpdesk_ticket_id[0]), [billed.ticket.id], "and its line still bills the case");
            });
        });
    });
}

QUnit.module("install lifecycle: all four next to helpdesk_mgmt_project (the community port)", (hooks) => {
    const db = `${PREFIX}_port`;
    hooks.after(() => dropDatabase(db));

    QUnit.test("they install with helpdesk_mgmt_project and bill a case", async (assert) => {
        assert.timeout(INSTALL_TIMEOUT);
        let port;
        try {
            port = findPortTree();
        } catch (error) {
            if (!(error instanceof HostError)) {
                throw error;
            }
            // Never a silent skip: the test fails with what to do.
            assert.pushResult({ result: false, message: error.message });
            return;
        }
        const portTrees = { ...trees, helpdesk: port };
        const modules = ["helpdesk_mgmt_project", ...OUR_MODULES];
        dropDatabase(db);
        const { code, log } = await runOdoo(portTrees, db, ["-i", modules.join(","), "--http-port=0", "--log-level=warn"], {
            logFile: path.join(LOG_DIR, `lifecycle-${db}-install.log`),
        });
        assert.strictEqual(code, 0, `odoo-bin -i ${modules.join(",")} on ${port} succeeded`);
        assert.false(ERROR_LINE.test(log), "no error in the install log");
        await withServer(db, "after-install", async (rpc) => {
            await assertStates(assert, rpc, { installed: modules }, "helpdesk_mgmt_project and our four modules are installed");
            const billed = await postedInvoiceWithCase(rpc, "Billed next to helpdesk_mgmt_project");
            assert.deepEqual(
                billed.lines.map((l) => l.helpdesk_ticket_id && l.helpdesk_ticket_id[0]), [billed.ticket.id],
                "a posted customer invoice bills the case in one line",
            );
            const [ticket] = await rpc.searchRead("helpdesk.ticket", [["id", "=", billed.ticket.id]], ["invoice_id", "billing_kind"]);
            assert.deepEqual(
                { invoice: ticket.invoice_id && ticket.invoice_id[0], kind: ticket.billing_kind },
                { invoice: billed.invoice, kind: "billed" },
                "and the case is billed on it",
            );
        }, portTrees);
    });
});

// The last release of the single addon, before the split into four modules.
const SINGLE_ADDON_COMMIT = "0a3d11f";

QUnit.module("install lifecycle: upgrading a database of the single addon 19.0.1.1.0", (hooks) => {
    const db = `${PREFIX}_upgrade`;
    let oldAddons;
    hooks.after(() => {
        dropDatabase(db);
        if (oldAddons) {
            fs.rmSync(path.dirname(oldAddons), { recursive: true, force: true });
        }
    });

    QUnit.test("-u helpdesk_case_billing installs the three new modules and keeps their data and the invoices", async (assert) => {
        assert.timeout(INSTALL_TIMEOUT * 2);
        let port;
        try {
            port = findPortTree();
        } catch (error) {
            if (!(error instanceof HostError)) {
                throw error;
            }
            // 19.0.1.1.0 needs helpdesk_mgmt_project: never a silent skip.
            assert.pushResult({ result: false, message: error.message });
            return;
        }
        // That release, from this repository's history.
        const work = fs.mkdtempSync(path.join(os.tmpdir(), "hcb-single-addon-"));
        oldAddons = path.join(work, "addons");
        const archive = spawnSync("sh", ["-c", `git -C "${repoRoot}" archive ${SINGLE_ADDON_COMMIT} addons/helpdesk_case_billing | tar -x -C "${work}"`], { encoding: "utf8" });
        assert.strictEqual(archive.status, 0, `the single addon of ${SINGLE_ADDON_COMMIT} is extracted from git: ${archive.stderr}`);
        if (archive.status !== 0) {
            return;
        }
        const oldTrees = { ...trees, helpdesk: port, ours: oldAddons };
        dropDatabase(db);
        const install = await runOdoo(oldTrees, db, ["-i", "helpdesk_case_billing", "--http-port=0", "--log-level=warn"], {
            logFile: path.join(LOG_DIR, `lifecycle-${db}-install-single.log`),
        });
        assert.strictEqual(install.code, 0, "19.0.1.1.0 installs");
        const before = await withServer(db, "single-addon", async (rpc) => {
            const billed = await postedInvoiceWithCase(rpc, "Billed before the split");
            const [line] = billed.lines;
            const [ticket] = await rpc.searchRead("helpdesk.ticket", [["id", "=", billed.ticket.id]], ["team_id"]);
            const team = ticket.team_id[0];
            await rpc.write("helpdesk.ticket.team", [team], {
                case_billing_approval_required: true, case_billing_sale_order: true,
                case_billing_remaining_threshold: 25, case_billing_quotation_product_id: line && (await rpc.searchRead(
                    "account.move.line", [["id", "=", line.id]], ["product_id"],
                ))[0].product_id[0],
            });
            return { billed, team };
        }, oldTrees);

        const newTrees = { ...trees, helpdesk: port };
        const upgrade = await runOdoo(newTrees, db, ["-u", "helpdesk_case_billing", "--http-port=0", "--log-level=warn"], {
            logFile: path.join(LOG_DIR, `lifecycle-${db}-upgrade.log`),
        });
        assert.strictEqual(upgrade.code, 0, "-u helpdesk_case_billing with the four modules succeeds");
        assert.false(ERROR_LINE.test(upgrade.log), "no error in the upgrade log");
        await withServer(db, "after-upgrade", async (rpc) => {
            await assertStates(assert, rpc, { installed: OUR_MODULES }, "the three new modules are installed in the same run");
            const [team] = await rpc.searchRead("helpdesk.ticket.team", [["id", "=", before.team]], [
                "case_billing_approval_required", "case_billing_sale_order", "case_billing_remaining_threshold",
                "case_billing_quotation_product_id",
            ]);
            assert.deepEqual(
                {
                    approval: team.case_billing_approval_required, saleOrder: team.case_billing_sale_order,
                    threshold: team.case_billing_remaining_threshold, quotationProduct: Boolean(team.case_billing_quotation_product_id),
                },
                { approval: true, saleOrder: true, threshold: 25, quotationProduct: true },
                "the team keeps the settings that moved to the new modules",
            );
            await assertInvoiceIntact(assert, rpc, before.billed);
            // The request and reminder no longer put the customer's link in the chatter.
            for (const name of ["mail_template_case_approval_request", "mail_template_case_approval_reminder"]) {
                const [data] = await rpc.searchRead("ir.model.data", [["module", "=", APPROVAL], ["name", "=", name]], ["res_id"]);
                const [template] = await rpc.searchRead("mail.template", [["id", "=", data.res_id]], ["body_html"]);
                assert.false(template.body_html.includes("access_token") || template.body_html.includes("case-approval/"), `${name} carries no link in its body`);
            }
            const [ticket] = await rpc.searchRead("helpdesk.ticket", [["id", "=", before.billed.ticket.id]], ["invoice_id", "billing_state"]);
            assert.deepEqual(
                { invoice: ticket.invoice_id && ticket.invoice_id[0], state: ticket.billing_state },
                { invoice: before.billed.invoice, state: "invoiced" },
                "the billed case is still invoiced on it",
            );
        }, newTrees);
    });
});
