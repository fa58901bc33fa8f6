import { ODOO_URL, screenshot, useBrowserSession } from "./lib/session.mjs";
import { billingTeam, closedCase, customer } from "./lib/fixtures.mjs";

QUnit.module("ticket list: Create invoices", (hooks) => {
    const session = useBrowserSession(hooks);

    QUnit.test("confirms how many invoices and cases, then creates one draft invoice per customer", async (assert) => {
        const { team, project } = await billingTeam(session.rpc);
        const first = await customer(session.rpc);
        const second = await customer(session.rpc);
        const a1 = await closedCase(session.rpc, { team, project, partner: first.contact, minutes: 20, title: "List billing A1" });
        const a2 = await closedCase(session.rpc, { team, project, partner: first.company, minutes: 50, title: "List billing A2" });
        const b1 = await closedCase(session.rpc, { team, project, partner: second.company, minutes: 15, title: "List billing B1" });
        const open = await session.rpc.create("helpdesk.ticket", {
            name: "List billing open", description: "<p>x</p>", team_id: team, project_id: project, partner_id: second.company,
        });

        const page = await session.page();
        await page.goto(`${ODOO_URL}/odoo/action-helpdesk_mgmt.helpdesk_ticket_action?view_type=list`, { waitUntil: "domcontentloaded" });
        await page.waitForSelector(".o_list_view .o_data_row");
        // Narrow the list to this test's team, then select every row.
        await page.type(".o_searchview_input", "List billing");
        await page.keyboard.press("Enter");
        await page.waitForFunction(() => document.querySelectorAll(".o_list_view .o_data_row").length === 4);
        await page.click(".o_list_view thead .o_list_record_selector input");
        await page.waitForSelector(".o_control_panel_actions .o-dropdown, .o_cp_action_menus button");
        await page.$$eval(".o_control_panel_actions button, .o_cp_action_menus button", (buttons) => {
            const actions = buttons.find((b) => /Actions/.test(b.textContent));
            actions.click();
        });
        // The menu can open before its server actions are in it: wait for the item.
        await page.locator(".o-dropdown-item ::-p-text(Create invoices)").click();
        await page.waitForSelector(".modal .o_case_invoice_summary");
        const summary = await page.$eval(".modal .o_case_invoice_summary", (el) => el.textContent.trim());
        assert.true(/3 cases.*2 draft invoices/.test(summary), `the confirmation counts cases and invoices: ${summary}`);
        const refused = await page.$$eval(".modal .o_data_row", (rows) => rows.map((r) => r.textContent));
        assert.strictEqual(refused.length, 1, "the open case is listed as left out");
        assert.true(/not closed/i.test(refused[0]), `with its reason: ${refused[0]}`);
        await screenshot(page, "create-invoices-confirmation");
        await page.click(".modal .o_case_invoice_confirm");
        await page.waitForSelector(".modal", { hidden: true });

        const cases = await session.rpc.searchRead("helpdesk.ticket", [["id", "in", [a1.id, a2.id, b1.id, open]]], ["invoice_id", "billing_kind"]);
        const invoiceOf = Object.fromEntries(cases.map((c) => [c.id, c.invoice_id && c.invoice_id[0]]));
        assert.true(Boolean(invoiceOf[a1.id]) && invoiceOf[a1.id] === invoiceOf[a2.id], "one invoice for both cases of the first customer");
        assert.true(Boolean(invoiceOf[b1.id]) && invoiceOf[b1.id] !== invoiceOf[a1.id], "another invoice for the second customer");
        assert.false(invoiceOf[open], "the open case is not billed");
        const invoices = await session.rpc.searchRead("account.move", [["id", "in", [invoiceOf[a1.id], invoiceOf[b1.id]]]], ["state", "move_type", "partner_id"]);
        assert.deepEqual(invoices.map((i) => `${i.state}/${i.move_type}`), ["draft/out_invoice", "draft/out_invoice"]);
        assert.deepEqual(page.errors, [], "no error in the browser console");
    });
});
