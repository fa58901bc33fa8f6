// Materials used on a case, as an accountant and an agent see them: the Load
// helpdesk cases grid shows the case's amount with its materials before
// adding, the invoice bills them on lines of their own, and the invoiced
// case's materials are read-only.
import { openForm, screenshot, useBrowserSession } from "./lib/session.mjs";
import { billingTeam, closedCase, customer, draftInvoice, money } from "./lib/fixtures.mjs";

const LINES = ".o_field_widget[name=invoice_line_ids] .o_data_row";


QUnit.module("materials on cases in the web client", (hooks) => {
    const session = useBrowserSession(hooks);

    QUnit.test("20 minutes and 2 toner cartridges: 139.80 in the grid before adding, and on the invoice", async (assert) => {
        const rpc = session.rpc;
        const hour = await rpc.ref("uom.product_uom_hour");
        const work = await rpc.create("product.product", {
            name: `Support hour at 80 (${process.pid})`, type: "service", uom_id: hour, list_price: 80, taxes_id: [[6, 0, []]],
        });
        const toner = await rpc.create("product.product", {
            name: `Toner cartridge (${process.pid})`, type: "consu", list_price: 49.9, sale_ok: true, taxes_id: [[6, 0, []]],
        });
        const { team, project } = await billingTeam(rpc, { case_billing_product_id: work });
        const { company, contact } = await customer(rpc);
        const ticket = await closedCase(rpc, { team, project, partner: contact, minutes: 20, title: "Printer out of toner" });
        await rpc.create("helpdesk.ticket.material", { ticket_id: ticket.id, product_id: toner, quantity: 2 });
        const invoice = await draftInvoice(rpc, company);

        const page = await session.page();
        await openForm(page, "account.move", invoice);
        await page.waitForSelector(".o_load_helpdesk_cases");
        await page.click(".o_load_helpdesk_cases");
        const row = `.o_load_cases_row[data-case-id="${ticket.id}"]`;
        await page.waitForSelector(row);
        const amount = await page.$eval(`${row} .o_load_cases_col_amount`, (el) => el.textContent.trim());
        // 2 units of 15 minutes at 80.00 an hour, and 2 × 49.90.
        assert.strictEqual(money(amount), "139.80", `the grid's amount counts the materials: ${amount}`);
        await page.click(row);
        await page.waitForFunction(() => document.querySelector(".o_load_cases_confirm")?.textContent.trim() === "Add 1 case");
        await page.click(".o_load_cases_confirm");
        await page.waitForSelector(".o_load_cases_dialog", { hidden: true });

        await page.waitForFunction((selector) => document.querySelectorAll(selector).length === 2, {}, LINES);
        const lines = await page.$$eval(LINES, (rows) => rows.map((tr) => Object.fromEntries(
            [...tr.querySelectorAll("td[name]")].map((td) => [td.getAttribute("name"), td.textContent.replace(/\s+/g, " ").trim()]),
        )));
        // Odoo 19 shows the product, then the part of the label that is not its name.
        const material = lines.find((line) => line.product_id.startsWith(`Toner cartridge (${process.pid})`) && line.product_id.includes(ticket.number));
        assert.ok(material, `a line of the material, with the case's number: ${lines.map((l) => l.product_id).join(" | ")}`);
        assert.true(material?.product_id.endsWith(`${ticket.number} - Printer out of toner`), `the case shown whole under the product: ${material?.product_id}`);
        assert.strictEqual(money(material?.price_subtotal ?? ""), "99.80", "2 × 49.90");
        const stored = await rpc.searchRead("account.move.line", [["move_id", "=", invoice], ["display_type", "=", "product"]],
            ["name", "price_subtotal", "helpdesk_ticket_id", "helpdesk_material_id"]);
        assert.deepEqual(
            stored.filter((line) => line.helpdesk_material_id).map((line) => line.name),
            [`Toner cartridge (${process.pid})\n${ticket.number} - Printer out of toner`],
            "the material line's label: the product, then the case",
        );
        assert.deepEqual(
            stored.map((line) => [line.helpdesk_ticket_id[0], Boolean(line.helpdesk_material_id), line.price_subtotal]).sort(),
            [[ticket.id, false, 40], [ticket.id, true, 99.8]],
            "the time line and the material line, both billing the case",
        );
        await screenshot(page, "materials-invoice");

        // The invoiced case: its materials are shown, read-only.
        await openForm(page, "helpdesk.ticket", ticket.id);
        await page.$$eval(".o_notebook .nav-link", (links) => links.find((a) => a.textContent.trim() === "Materials").click());
        await page.waitForSelector(".o_field_widget[name=material_ids] .o_data_row");
        const rows = await page.$$eval(".o_field_widget[name=material_ids] .o_data_row", (trs) => trs.map((tr) => tr.textContent.replace(/\s+/g, " ").trim()));
        assert.strictEqual(rows.length, 1, "one material");
        assert.true(rows[0].includes("Toner cartridge"), `the product: ${rows[0]}`);
        assert.strictEqual(await page.$(".o_field_widget[name=material_ids] .o_field_x2many_list_row_add"), null, "no Add a line once invoiced");
        await screenshot(page, "materials-ticket-invoiced");
        assert.deepEqual(page.errors, [], "no error in the browser console");
    });
});
