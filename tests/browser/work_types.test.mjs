// Work types as the accountant sees them: the Load helpdesk cases grid shows
// the case's whole amount, its invoice gets one line per work type.
import { openForm, screenshot, useBrowserSession } from "./lib/session.mjs";
import { billingTeam, closedCase, customer, draftInvoice, hourlyProduct, money } from "./lib/fixtures.mjs";

const LINES = ".o_field_widget[name=invoice_line_ids] .o_data_row";



QUnit.module("work types in the web client", (hooks) => {
    const session = useBrowserSession(hooks);

    QUnit.test("20 min of the team's product and 25 min after hours: 75.00 in the grid, two lines on the invoice", async (assert) => {
        const rpc = session.rpc;
        const product = await hourlyProduct(rpc, "Helpdesk hour", 60);
        const afterHours = await hourlyProduct(rpc, "After-hours", 90);
        const { team, project } = await billingTeam(rpc, { case_billing_product_id: product });
        const { company, contact } = await customer(rpc);
        const ticket = await closedCase(rpc, { team, project, partner: contact, minutes: 20, title: "Night outage" });
        await rpc.create("account.analytic.line", {
            name: "Night intervention", ticket_id: ticket.id, project_id: project, unit_amount: 25 / 60, case_work_type_id: afterHours,
        });
        const invoice = await draftInvoice(rpc, company);

        const page = await session.page();
        await openForm(page, "account.move", invoice);
        await page.waitForSelector(".o_load_helpdesk_cases");
        await page.click(".o_load_helpdesk_cases");
        const row = `.o_load_cases_row[data-case-id="${ticket.id}"]`;
        await page.waitForSelector(row);
        const cells = await page.$eval(row, (el) => Object.fromEntries(
            ["units", "amount"].map((key) => [key, el.querySelector(`.o_load_cases_col_${key}`).textContent.trim()]),
        ));
        assert.strictEqual(cells.units, "4 × 15 min", "4 units in all");
        assert.strictEqual(money(cells.amount), "75.00", `30.00 + 45.00 before adding: ${cells.amount}`);
        await page.click(row);
        await page.waitForFunction(() => document.querySelector(".o_load_cases_confirm")?.textContent.trim() === "Add 1 case");
        await page.click(".o_load_cases_confirm");
        await page.waitForSelector(".o_load_cases_dialog", { hidden: true });
        await page.waitForFunction((selector) => document.querySelectorAll(selector).length === 2, {}, LINES);
        const lines = await page.$$eval(LINES, (rows) => rows.map((el) => Object.fromEntries(
            [...el.querySelectorAll("td[name]")].map((td) => [td.getAttribute("name"), td.textContent.replace(/\s+/g, " ").trim()]),
        )));
        const labels = lines.map((line) => line.product_id);
        assert.true(labels.some((label) => label.includes(`${ticket.number} - Night outage`) && label.includes(" - 2 × 15 min")
            && !label.includes("After-hours")), `the team's product line: ${labels}`);
        // Odoo's line widget shows the product, then the label without the
        // product's name, read whole: no empty " -  - " where the name was.
        const afterHoursLine = labels.find((label) => label.startsWith(`After-hours (${process.pid})`));
        assert.ok(afterHoursLine, `the after-hours line: ${labels}`);
        assert.true(/ - Night outage \(closed [^)]*\) - 2 × 15 min$/.test(afterHoursLine ?? ""), `the case under the work type: ${afterHoursLine}`);
        assert.false(/-\s+-/.test(afterHoursLine ?? ""), `no empty segment: ${afterHoursLine}`);
        const stored = await rpc.searchRead("account.move.line", [["move_id", "=", invoice], ["display_type", "=", "product"]],
            ["name", "price_subtotal"], { order: "id" });
        assert.deepEqual(
            stored.map((line) => [line.name.replace(/ \(closed [^)]*\)/, ""), line.price_subtotal]).sort(),
            [
                [`${ticket.number} - Night outage - 2 × 15 min`, 30],
                [`${ticket.number} - Night outage - After-hours (${process.pid}) - 2 × 15 min`, 45],
            ],
            "one line per work type, the work type named on its label",
        );
        assert.deepEqual(lines.map((line) => money(line.price_subtotal)).sort(), ["30.00", "45.00"], "each line at its own price");
        await screenshot(page, "work-types-invoice");

        await openForm(page, "helpdesk.ticket", ticket.id);
        await page.click(".o_notebook .nav-link[name='case_billing']");
        await page.waitForSelector(".o_field_widget[name=billing_work_type_summary]");
        const summary = await page.$eval(".o_field_widget[name=billing_work_type_summary]", (el) => el.textContent);
        assert.true(summary.includes("00:25 spent, billed as 2 × 15 min"), `the Billing tab shows the time per work type: ${summary}`);
        assert.deepEqual(page.errors, [], "no error in the browser console");
    });
});
