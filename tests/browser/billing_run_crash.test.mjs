// A billing run survives its Odoo process being killed (kill -9) in the
// middle: a second Odoo on the same database, with a cron worker, runs it, is
// killed once some customers are billed and not all, and is started again;
// the run then ends with every case billed exactly once, one invoice per
// customer and no empty invoice.
import { findTrees, startOdooServer } from "../../scripts/lib/host.mjs";
import { OdooRpc } from "../lib/odoo_rpc.mjs";
import { ODOO_DB, ODOO_URL, screenshot, useBrowserSession } from "./lib/session.mjs";
import { billingTeam, closedCase, customer } from "./lib/fixtures.mjs";

const RUN = "helpdesk.case.billing.run";
// Two chunks of the run (20 customers each), previewed at once (at most 50
// invoices): killed after the first chunk.
const CUSTOMERS = 40;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function cronServer() {
    return startOdooServer(findTrees(), ODOO_DB, { extra: ["--max-cron-threads=1"] });
}

async function runRow(rpc, run) {
    const [row] = await rpc.searchRead(RUN, [["id", "=", run]], ["state", "cases_done", "case_count", "invoice_count"]);
    return row;
}

QUnit.module("billing runs: crash", (hooks) => {
    const session = useBrowserSession(hooks);

    QUnit.test("killed with kill -9 mid-run and started again, the run bills every case once", async (assert) => {
        // Two starts of Odoo and the fixtures take minutes on a small machine.
        assert.timeout(420_000);
        const { rpc } = session;
        const { team, project } = await billingTeam(rpc);
        const customers = [];
        const cases = [];
        for (let n = 0; n < CUSTOMERS; n++) {
            const buyer = await customer(rpc);
            customers.push(buyer.company);
            cases.push((await closedCase(rpc, { team, project, partner: buyer.company, minutes: 20, title: `Crash case ${n}` })).id);
        }
        const run = await rpc.create(RUN, {
            team_ids: [[6, 0, [team]]],
            partner_ids: [[6, 0, customers]],
            closed_until: new Date().toISOString().slice(0, 10),
        });
        await rpc.call(RUN, "action_preview", [[run]]);
        await rpc.call(RUN, "action_start", [[run]]);

        let server = await cronServer();
        let atKill = null;
        try {
            const deadline = Date.now() + 120_000;
            while (Date.now() < deadline) {
                const row = await runRow(rpc, run);
                if (row.cases_done > 0) {
                    server.process.kill("SIGKILL");
                    atKill = row;
                    break;
                }
                await sleep(20);
            }
            await server.stop();
            assert.ok(atKill, "the run started in the background");
            assert.true(atKill.state === "running" && atKill.cases_done < CUSTOMERS, `killed mid-run: ${JSON.stringify(atKill)}`);
            const afterKill = await runRow(rpc, run);
            assert.strictEqual(afterKill.state, "running", "the run waits for a worker");
            // What the user sees of the run stopped half-way.
            const page = await session.page();
            await page.goto(`${ODOO_URL}/odoo/action-helpdesk_case_billing.helpdesk_case_billing_run_action/${run}`, {
                waitUntil: "domcontentloaded",
            });
            await page.waitForSelector(".o_form_view .o_hcb_run_progress");
            const shown = await page.evaluate(() => ({
                percent: document.querySelector(".o_hcb_run_progress")?.textContent.trim(),
                done: document.querySelector(".o_field_widget[name=cases_done]")?.textContent.trim(),
                left: document.querySelector(".o_field_widget[name=time_left]")?.textContent.trim(),
            }));
            const percent = Math.floor((100 * afterKill.cases_done) / CUSTOMERS);
            assert.deepEqual(
                [shown.percent, shown.done],
                [`${percent} %`, String(afterKill.cases_done)],
                "the form shows the cases done so far",
            );
            assert.true(Boolean(shown.left), `an estimated time left is shown: ${shown.left}`);
            await new Promise((resolve) => setTimeout(resolve, 1000));
            await screenshot(page, "billing-run-progress");

            server = await cronServer();
            let row = afterKill;
            for (const end = Date.now() + 180_000; Date.now() < end && row.state === "running"; ) {
                await sleep(500);
                row = await runRow(rpc, run);
            }
            assert.deepEqual(
                [row.state, row.cases_done, row.case_count, row.invoice_count],
                ["done", CUSTOMERS, CUSTOMERS, CUSTOMERS],
                "the run resumed and finished",
            );
        } finally {
            await server.stop();
        }
        const lines = await rpc.searchRead("account.move.line", [["helpdesk_ticket_id", "in", cases]], ["helpdesk_ticket_id", "move_id"]);
        const perCase = new Map(cases.map((id) => [id, 0]));
        for (const line of lines) {
            perCase.set(line.helpdesk_ticket_id[0], perCase.get(line.helpdesk_ticket_id[0]) + 1);
        }
        assert.deepEqual([...new Set(perCase.values())], [1], "every case is on exactly one invoice line");
        const invoices = await rpc.searchRead(
            "account.move",
            [["partner_id", "in", customers], ["move_type", "=", "out_invoice"]],
            ["partner_id", "invoice_line_ids"],
        );
        assert.strictEqual(invoices.length, CUSTOMERS, "one invoice per customer, none twice");
        assert.strictEqual(new Set(invoices.map((i) => i.partner_id[0])).size, CUSTOMERS);
        assert.true(invoices.every((i) => i.invoice_line_ids.length === 1), "no empty invoice");
        const [runRecord] = await rpc.searchRead(RUN, [["id", "=", run]], ["invoice_ids", "skip_ids"]);
        assert.deepEqual(
            [runRecord.invoice_ids.length, runRecord.skip_ids.length],
            [CUSTOMERS, 0],
            "the run lists its invoices and left nothing out",
        );
    });
});
