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
        const badge = await page.waitForSelector(".o_field_case_billing_status .o_case_billing_status .badge");
        const text = await badge.evaluate((el) => el.textContent.trim());
        assert.strictEqual(text, "Billable", "the badge shows the case's financial status");
        await screenshot(page, "ticket-form-status");
        assert.deepEqual(page.errors, [], "no error in the browser console");
    });
});
