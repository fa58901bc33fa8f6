import { openForm, screenshot, useBrowserSession } from "./lib/session.mjs";
import { billingTeam, closedCase, customer } from "./lib/fixtures.mjs";

async function clickTab(page, label) {
    await page.$$eval(".o_notebook .nav-link", (tabs, text) => tabs.find((t) => t.textContent.trim() === text).click(), label);
}

QUnit.module("case quotations", (hooks) => {
    const session = useBrowserSession(hooks);

    QUnit.test("Create quotation: only the billable time, a notification that opens the quotation", async (assert) => {
        const { team, project } = await billingTeam(session.rpc);
        const buyer = await customer(session.rpc);
        const ticket = await closedCase(session.rpc, { team, project, partner: buyer.contact, minutes: 20, title: "Quoted from the form" });
        await session.rpc.create("account.analytic.line", { name: "Goodwill call", ticket_id: ticket.id, project_id: project, unit_amount: 0.25 });

        const page = await session.page();
        await openForm(page, "helpdesk.ticket", ticket.id);
        await clickTab(page, "Timesheets");
        await page.waitForFunction(() => document.querySelectorAll(".o_field_one2many .o_data_row").length === 2);
        const header = await page.$$eval(".o_field_one2many thead th", (ths) => ths.map((th) => th.textContent.trim()));
        assert.true(header.includes("Billable"), `the Timesheets list shows the billable flag: ${header}`);
        // The goodwill call is not billed: switch its flag off and save.
        await page.$$eval(".o_field_one2many .o_data_row", (rows) => {
            const row = rows.find((r) => r.textContent.includes("Goodwill call"));
            row.querySelector("td[name='case_billable'] input").click();
        });
        await page.click(".o_form_status_indicator .o_form_button_save");
        await page.waitForSelector(".o_form_status_indicator .o_form_button_save", { hidden: true });
        const [goodwill] = await session.rpc.searchRead("account.analytic.line", [["ticket_id", "=", ticket.id], ["name", "=", "Goodwill call"]], ["case_billable"]);
        assert.false(goodwill.case_billable, "the flag is saved");
        await screenshot(page, "case-timesheets-billable");

        await page.click("button.o_case_create_quotation");
        await page.waitForSelector(".o_notification");
        const notification = await page.$eval(".o_notification", (el) => el.textContent.replace(/\s+/g, " ").trim());
        const [row] = await session.rpc.searchRead("helpdesk.ticket", [["id", "=", ticket.id]], ["quotation_id"]);
        assert.true(Boolean(row.quotation_id), "the case is linked to its quotation");
        const orderName = row.quotation_id[1];
        assert.true(notification.includes(`Quotation ${orderName} created`), `the notification names the quotation: ${notification}`);
        assert.true(notification.includes("default settings"), "and says it has the default settings");
        // The case form reloads: the button is gone, the quotation shows in the Billing tab.
        await page.waitForSelector("button.o_case_create_quotation", { hidden: true });
        await clickTab(page, "Billing");
        await page.waitForFunction(
            (name) => document.querySelector(".o_field_widget[name='quotation_id']")?.textContent.includes(name),
            {},
            orderName,
        );
        await screenshot(page, "case-quotation-created");

        await page.$$eval(".o_notification button", (buttons) => buttons.find((b) => b.textContent.includes("Open quotation")).click());
        await page.waitForFunction(
            (name) => document.querySelector(".o_form_view .oe_title h1")?.textContent.includes(name),
            {},
            orderName,
        );
        // One line per case, in billing units as on invoices, the time it is made of in its description.
        const lines = await page.$$eval(".o_field_one2many[name='order_line'] .o_data_row", (rows) => rows.map((r) => ({
            row: r.textContent.replace(/\s+/g, " "),
            ...Object.fromEntries([...r.querySelectorAll("td[name]")].map((td) => [td.getAttribute("name"), td.textContent.replace(/\s+/g, " ").trim()])),
        })));
        assert.strictEqual(lines.length, 1, "one line for the case");
        const [line] = lines;
        assert.true(line.row.includes(ticket.number) && line.row.includes("Quoted from the form"), `the line names the case: ${line.row}`);
        assert.true(line.row.includes("2 × 15 min"), `20 minutes: 2 units of 15 min: ${line.row}`);
        assert.true(line.row.includes("Work on the case (00:20)"), `the description lists the billable time: ${line.row}`);
        assert.false(line.row.includes("Goodwill call"), "the goodwill call is not quoted");
        assert.true(/^2(\.0+)?$/.test(line.product_uom_qty), `quantity 2: ${line.product_uom_qty}`);
        assert.strictEqual(line.product_uom_id, "15 min", "the unit is the billing unit");
        await screenshot(page, "case-quotation-order");
        assert.deepEqual(page.errors, [], "no error in the browser console");
    });

    QUnit.test("Create quotation on a case that cannot be quoted says why and creates nothing", async (assert) => {
        const { team, project } = await billingTeam(session.rpc);
        const buyer = await customer(session.rpc);
        const open = await session.rpc.create("helpdesk.ticket", {
            name: "Quote refused", description: "<p>x</p>", team_id: team, project_id: project, partner_id: buyer.contact,
        });
        const page = await session.page();
        await openForm(page, "helpdesk.ticket", open);
        await page.click("button.o_case_create_quotation");
        await page.waitForSelector(".modal .modal-body");
        const message = await page.$eval(".modal .modal-body", (el) => el.textContent);
        assert.true(/No quotation was created/.test(message), `the error says nothing was created: ${message}`);
        assert.true(/not closed/.test(message) && /No time is spent/.test(message), "with the reasons");
        await screenshot(page, "case-quotation-refused");
        const orders = await session.rpc.searchRead("sale.order.line", [["helpdesk_ticket_id", "=", open]], ["id"]);
        assert.deepEqual(orders, []);
        const [row] = await session.rpc.searchRead("helpdesk.ticket", [["id", "=", open]], ["quotation_id"]);
        assert.false(row.quotation_id, "the case is not quoted");
    });
});
