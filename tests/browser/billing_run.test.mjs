import { ODOO_URL, screenshot, useBrowserSession } from "./lib/session.mjs";
import { billingTeam, closedCase, customer } from "./lib/fixtures.mjs";

const RUN = "helpdesk.case.billing.run";

/** The text of the first element matching `selector` on the page, or "". */
function text(page, selector) {
    return page.evaluate((s) => document.querySelector(s)?.textContent.replace(/\s+/g, " ").trim() || "", selector);
}

QUnit.module("billing runs", (hooks) => {
    const session = useBrowserSession(hooks);

    QUnit.test("the form of a running run follows the background work without being reloaded", async (assert) => {
        const { team, project } = await billingTeam(session.rpc);
        const first = await customer(session.rpc);
        const second = await customer(session.rpc);
        await closedCase(session.rpc, { team, project, partner: first.contact, minutes: 20, title: "Run case A1" });
        await closedCase(session.rpc, { team, project, partner: first.company, minutes: 50, title: "Run case A2" });
        await closedCase(session.rpc, { team, project, partner: second.company, minutes: 15, title: "Run case B1" });
        const today = new Date().toISOString().slice(0, 10);
        const run = await session.rpc.create(RUN, {
            partner_ids: [[6, 0, [first.company, second.company]]],
            team_ids: [[6, 0, [team]]],
            closed_until: today,
        });
        await session.rpc.call(RUN, "action_preview", [[run]]);
        await session.rpc.call(RUN, "action_start", [[run]]);

        const page = await session.page();
        await page.goto(`${ODOO_URL}/odoo/action-helpdesk_case_billing.helpdesk_case_billing_run_action/${run}`, {
            waitUntil: "domcontentloaded",
        });
        await page.waitForSelector(".o_form_view .o_hcb_run_progress");
        assert.strictEqual(await text(page, ".o_hcb_run_progress"), "0 %", "nothing done yet");
        assert.strictEqual(await text(page, ".o_field_widget[name=state] .o_arrow_button_current"), "Running");
        await screenshot(page, "billing-run-running");

        // The scheduled action makes the invoices in its own transactions.
        const cron = await session.rpc.ref("helpdesk_case_billing.ir_cron_process_billing_runs");
        await session.rpc.call("ir.cron", "method_direct_trigger", [[cron]]);

        // No reload: the form reads the run again by itself.
        await page.waitForFunction(
            () => document.querySelector(".o_field_widget[name=state] .o_arrow_button_current")?.textContent.includes("Done"),
            { timeout: 15_000 },
        );
        assert.strictEqual(await text(page, ".o_hcb_run_progress"), "100 %");
        assert.strictEqual(await text(page, ".o_field_widget[name=cases_done]"), "3");
        const invoices = await text(page, "button[name=action_open_invoices]");
        assert.true(/^2\s*Invoices$/.test(invoices), `two invoices made: ${invoices}`);
        const [done] = await session.rpc.searchRead(RUN, [["id", "=", run]], ["state", "invoice_count", "case_count"]);
        assert.deepEqual([done.state, done.invoice_count, done.case_count], ["done", 2, 3]);
        // Let the bar's width transition end before the picture.
        await new Promise((resolve) => setTimeout(resolve, 1000));
        await screenshot(page, "billing-run-done");
        assert.deepEqual(page.errors, [], "no error in the browser console");
    });
});
