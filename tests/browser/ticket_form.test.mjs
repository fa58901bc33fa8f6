import { openForm, screenshot, useBrowserSession } from "./lib/session.mjs";

QUnit.module("ticket form", (hooks) => {
    const session = useBrowserSession(hooks);

    QUnit.test("the addon's OWL financial-status widget renders on a ticket", async (assert) => {
        const teamId = await session.rpc.create("helpdesk.ticket.team", { name: "Widget check team", case_billing_enabled: true });
        const billable = await session.rpc.ref("helpdesk_case_billing.billing_status_billable");
        const ticketId = await session.rpc.create("helpdesk.ticket", {
            name: "Printer does not print",
            description: "<p>Paper jam</p>",
            team_id: teamId,
            billing_status_id: billable,
        });
        const page = await session.page();
        await openForm(page, "helpdesk.ticket", ticketId);
        const badge = await page.waitForSelector(".o_field_case_billing_status .o_case_billing_status [data-status-id]");
        const text = await badge.evaluate((el) => el.textContent.trim());
        assert.strictEqual(text, "Billable", "the badge shows the case's financial status");
        // Where the billing stands comes first, and why, readable without hovering.
        const state = await page.$eval(".o_field_case_billing_status .o_case_billing_state", (el) => ({ text: el.textContent.trim(), state: el.dataset.state }));
        assert.deepEqual(state, { text: "Not ready", state: "not_ready" });
        const reasons = await page.$$eval(".o_field_case_billing_status .o_case_billing_reasons li", (items) => items.map((li) => li.textContent.trim()));
        assert.ok(reasons.includes("The case is not closed."), reasons.join(" | "));
        assert.ok(reasons.includes("No time is spent on the case."), reasons.join(" | "));
        await screenshot(page, "ticket-form-status");
        assert.deepEqual(page.errors, [], "no error in the browser console");
    });
});
