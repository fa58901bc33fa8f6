import { openForm, screenshot, useBrowserSession } from "./lib/session.mjs";
import { billingTeam, closedCase, customer, draftInvoice, userWithoutBillingRight } from "./lib/fixtures.mjs";

async function text(page, selector) {
    return page.$eval(selector, (el) => el.textContent.replace(/\s+/g, " ").trim());
}

async function openLoadCasesDialog(page) {
    await page.waitForSelector(".o_load_helpdesk_cases");
    await page.click(".o_load_helpdesk_cases");
    await page.waitForSelector(".o_load_cases_dialog .o_load_cases_grid");
}

QUnit.module("case billing in the web client", (hooks) => {
    const session = useBrowserSession(hooks);

    QUnit.test("a billing user loads a case into a draft invoice, and the case is invoiced and locked", async (assert) => {
        const { team, project } = await billingTeam(session.rpc);
        const { company, contact } = await customer(session.rpc);
        const billable = await closedCase(session.rpc, { team, project, partner: contact, minutes: 20, title: "Printer jams on floor 2" });
        const open = await session.rpc.create("helpdesk.ticket", {
            name: "Still open case", description: "<p>x</p>", team_id: team, project_id: project, partner_id: contact,
        });
        const invoice = await draftInvoice(session.rpc, company);

        const page = await session.page();
        await openForm(page, "account.move", invoice);
        await openLoadCasesDialog(page);
        const rows = await page.$$eval(".o_load_cases_row", (els) => els.map((el) => Number(el.dataset.caseId)));
        assert.deepEqual(rows, [billable.id], "only the billable case is listed at first");

        await page.click(".o_load_cases_show_not_billable");
        await page.waitForSelector(`.o_load_cases_row[data-case-id="${open}"].o_not_billable`);
        const reasons = await text(page, `.o_load_cases_row[data-case-id="${open}"] .o_load_cases_blockers`);
        assert.true(/not closed/i.test(reasons), `the open case says why it is not billable: ${reasons}`);
        await screenshot(page, "load-cases-dialog");

        // Keyboard: the grid has focus; move to the billable case, select it, confirm with Enter.
        await page.focus(".o_load_cases_grid");
        const index = await page.$$eval(".o_load_cases_row", (els, id) => els.findIndex((el) => Number(el.dataset.caseId) === id), billable.id);
        for (let i = 0; i <= index; i++) {
            await page.keyboard.press("ArrowDown");
        }
        await page.keyboard.press("Space");
        await page.waitForFunction(() => document.querySelector(".o_load_cases_confirm")?.textContent.includes("Add 1 case"), { timeout: 5000 }).catch(() => {});
        assert.strictEqual(await text(page, ".o_load_cases_confirm"), "Add 1 case");
        const summary = await text(page, ".o_load_cases_summary");
        const [estimate] = await session.rpc.searchRead("helpdesk.ticket", [["id", "=", billable.id]], ["billing_amount_estimate"]);
        const cents = estimate.billing_amount_estimate.toFixed(2);
        assert.true(
            new RegExp(`^1 case selected: 0:30 h billed \\(2 × 15 min\\) for 0:20 h of billable time, \\D*${cents.replace(".", "\\.")}\\D*$`).test(summary),
            `the summary gives billed time with its units, spent time and amount ${cents}: ${summary}`,
        );
        await page.keyboard.press("Enter");
        await page.waitForSelector(".o_load_cases_dialog", { hidden: true });
        await page.waitForSelector(".o_notification");
        const told = await page.$$eval(".o_notification", (els) => els.map((el) => el.textContent.replace(/\s+/g, " ").trim()));
        assert.true(
            told.some((t) => t.includes(`1 case added to the invoice: 0:30 h billed (2 × 15 min) for 0:20 h of billable time, `) && t.includes(cents)),
            `the user is told the same figures: ${JSON.stringify(told)}`,
        );

        const lines = await session.rpc.searchRead("account.move.line", [["move_id", "=", invoice], ["display_type", "=", "product"]], ["name", "quantity", "product_uom_id", "price_subtotal", "helpdesk_ticket_id"]);
        assert.strictEqual(lines.length, 1, "one invoice line");
        assert.strictEqual(lines[0].quantity, 2, "20 minutes at 15-minute units: 2 units");
        assert.strictEqual(lines[0].product_uom_id[1], "15 min", "the line's unit is the billing unit");
        const row = await page.$$eval(".o_field_widget[name=invoice_line_ids] .o_data_row", (els) => els.map((el) => el.textContent).join("\n"));
        assert.true(row.includes("15 min"), `the invoice form shows the unit: ${row}`);
        assert.true(row.includes(lines[0].price_subtotal.toFixed(2)), `the invoice form shows the amount ${lines[0].price_subtotal}`);
        assert.strictEqual(lines[0].price_subtotal.toFixed(2), cents, "the line bills the amount the dialog said");
        assert.true(lines[0].name.includes(billable.number) && lines[0].name.includes("Printer jams on floor 2"), `label: ${lines[0].name}`);
        assert.true(/2\s*[×x]\s*15/.test(lines[0].name), "the label states 2 × 15 min");
        const shownLabels = await page.$$eval(".o_field_widget[name=invoice_line_ids] .o_data_row", (els) => els.map((el) => el.textContent));
        assert.true(shownLabels.some((l) => l.includes(billable.number)), "the invoice form shows the new line");
        await screenshot(page, "invoice-with-case-line");

        await openForm(page, "helpdesk.ticket", billable.id);
        assert.strictEqual(await text(page, ".o_case_billing_status [data-status-id]"), "Invoiced");
        await page.waitForSelector(".o_case_billing_invoice");
        await screenshot(page, "ticket-invoiced");

        // The lock is visible: a banner says why and what to do, the stage bar cannot be clicked.
        const banner = await text(page, ".o_case_billing_lock_banner");
        assert.true(/On a draft invoice ?: its stage, team, customer, time and materials are locked\. To change them, cancel or credit the invoice/.test(banner.replace(/\s+/g, " ")), `lock banner: ${banner}`);
        assert.strictEqual(await text(page, ".o_case_billing_state"), "On a draft invoice");
        const clickable = await page.$$eval(".o_statusbar_status button:not([disabled])", (buttons) => buttons.length);
        assert.strictEqual(clickable, 0, "the stage bar of an invoiced case is read-only");
        const [after] = await session.rpc.searchRead("helpdesk.ticket", [["id", "=", billable.id]], ["stage_id"]);
        assert.strictEqual(after.stage_id[1], "Done", "the case stayed closed");

        // The invoice button opens the invoice in one click.
        await page.keyboard.press("Escape");
        await page.waitForSelector(".modal", { hidden: true });
        await page.reload({ waitUntil: "domcontentloaded" });
        await page.waitForSelector(".o_case_billing_invoice");
        await page.click(".o_case_billing_invoice");
        await page.waitForFunction((id) => location.pathname.includes(`account.move/${id}`) || location.pathname.endsWith(`/${id}`), {}, invoice);
        assert.true(page.url().includes(String(invoice)), "the invoice opened");
        assert.deepEqual(page.errors, [], "no error in the browser console");
    });

    QUnit.test("a refusal from the server is shown in the dialog and nothing is added", async (assert) => {
        const { team, project } = await billingTeam(session.rpc);
        const { company } = await customer(session.rpc);
        const billable = await closedCase(session.rpc, { team, project, partner: company, minutes: 30 });
        const invoice = await draftInvoice(session.rpc, company);
        const page = await session.page();
        await openForm(page, "account.move", invoice);
        await openLoadCasesDialog(page);
        await page.click(`.o_load_cases_row[data-case-id="${billable.id}"]`);
        // Meanwhile someone takes the solution away: the case is no longer billable.
        await session.rpc.write("helpdesk.ticket", [billable.id], { solution: false });
        await page.click(".o_load_cases_confirm");
        await page.waitForSelector(".o_load_cases_error");
        const error = await text(page, ".o_load_cases_error");
        assert.true(error.includes(billable.number), `the error names the case: ${error}`);
        assert.true(/solution/i.test(error), "and says why");
        const lines = await session.rpc.searchRead("account.move.line", [["move_id", "=", invoice], ["helpdesk_ticket_id", "!=", false]], ["id"]);
        assert.strictEqual(lines.length, 0, "nothing was added");
        await screenshot(page, "load-cases-refused");
    });

    QUnit.test("without the billing right: no button on the invoice and a read-only status", async (assert) => {
        const { team, project } = await billingTeam(session.rpc);
        const { company } = await customer(session.rpc);
        const ticket = await closedCase(session.rpc, { team, project, partner: company, minutes: 20 });
        const invoice = await draftInvoice(session.rpc, company);
        const clerk = await userWithoutBillingRight(session.rpc);
        const page = await session.page(clerk.login, clerk.password);
        await openForm(page, "account.move", invoice);
        await page.waitForSelector(".o_field_widget[name=invoice_line_ids]");
        assert.strictEqual(await page.$(".o_load_helpdesk_cases"), null, "no Load helpdesk cases button");
        await openForm(page, "helpdesk.ticket", ticket.id);
        await page.waitForSelector(".o_case_billing_status [data-status-id]");
        assert.strictEqual(await page.$(".o_case_billing_status_toggle"), null, "no status menu");
        assert.deepEqual(page.errors, [], "no error in the browser console");
    });

    QUnit.test("a billing user changes the financial status from the badge menu", async (assert) => {
        const { team, project } = await billingTeam(session.rpc);
        const { company } = await customer(session.rpc);
        const ticket = await closedCase(session.rpc, { team, project, partner: company, minutes: 20 });
        const page = await session.page();
        await openForm(page, "helpdesk.ticket", ticket.id);
        await page.click(".o_case_billing_status_toggle");
        await page.waitForSelector(".o_case_billing_status_option");
        await page.$$eval(".o_case_billing_status_option", (items) => items.find((i) => i.textContent.trim() === "Not billable").click());
        await page.waitForFunction(() => document.querySelector(".o_case_billing_status [data-status-id]")?.textContent.trim() === "Not billable");
        await page.click(".o_form_button_save");
        await page.waitForSelector(".o_form_saved");
        const [row] = await session.rpc.searchRead("helpdesk.ticket", [["id", "=", ticket.id]], ["billing_status_id", "is_billable_now"]);
        assert.strictEqual(row.billing_status_id[1], "Not billable");
        assert.false(row.is_billable_now);
    });
});
