// A customer's negotiated price, as the accountant sees it: the Load helpdesk
// cases grid shows each case at the price of the customer's pricelist rule
// that applies (dated, from a minimum quantity), and the invoice bills the
// same amounts to the cent.
import { openForm, screenshot, useBrowserSession } from "./lib/session.mjs";
import { billingTeam, closedCase, customer, draftInvoice, money } from "./lib/fixtures.mjs";

const LINES = ".o_field_widget[name=invoice_line_ids] .o_data_row";


/** Odoo's datetime of `days` from now, "2026-12-02 00:00:00". */
function day(days) {
    const date = new Date(Date.now() + days * 86_400_000);
    return `${date.toISOString().slice(0, 10)} 00:00:00`;
}

QUnit.module("customer prices in the web client", (hooks) => {
    const session = useBrowserSession(hooks);

    QUnit.test("48.00 an hour from one hour on the customer's pricelist: 48.00 and 30.00 in the grid and on the invoice", async (assert) => {
        const rpc = session.rpc;
        // Pricelists switched on, as an administrator does in the Sales settings.
        const settings = await rpc.create("res.config.settings", { group_product_pricelist: true });
        await rpc.call("res.config.settings", "execute", [[settings]]);
        const hour = await rpc.ref("uom.product_uom_hour");
        const product = await rpc.create("product.product", {
            name: `Contract hour (${process.pid})`, type: "service", uom_id: hour, list_price: 60, taxes_id: [[6, 0, []]],
        });
        const [{ product_tmpl_id: [template] }] = await rpc.searchRead("product.product", [["id", "=", product]], ["product_tmpl_id"]);
        const pricelist = await rpc.create("product.pricelist", {
            name: `Contract rates (${process.pid})`,
            item_ids: [
                // Applies: started yesterday, from one hour (in the product's unit).
                [0, 0, { applied_on: "1_product", product_tmpl_id: template, compute_price: "fixed", fixed_price: 48,
                    min_quantity: 1, date_start: day(-1) }],
                // Not yet: starts tomorrow, whatever the quantity.
                [0, 0, { applied_on: "1_product", product_tmpl_id: template, compute_price: "fixed", fixed_price: 10,
                    min_quantity: 0, date_start: day(1) }],
            ],
        });
        const { team, project } = await billingTeam(rpc, { case_billing_product_id: product });
        const { company, contact } = await customer(rpc);
        await rpc.write("res.partner", [company], { property_product_pricelist: pricelist });
        // 50 min: 4 × 15 min = 1 h, the rule's minimum: 48.00. 20 min: 0.5 h, below it: the list price, 30.00.
        const long = await closedCase(rpc, { team, project, partner: contact, minutes: 50, title: "Server room audit" });
        const short = await closedCase(rpc, { team, project, partner: contact, minutes: 20, title: "Toner swap" });
        const invoice = await draftInvoice(rpc, company);

        const page = await session.page();
        await openForm(page, "account.move", invoice);
        await page.waitForSelector(".o_load_helpdesk_cases");
        await page.click(".o_load_helpdesk_cases");
        const row = (ticket) => `.o_load_cases_row[data-case-id="${ticket.id}"]`;
        await page.waitForSelector(row(short));
        const amount = (ticket) => page.$eval(`${row(ticket)} .o_load_cases_col_amount`, (el) => el.textContent.trim());
        assert.strictEqual(money(await amount(long)), "48.00", "1 h at the customer's 48.00, before adding");
        assert.strictEqual(money(await amount(short)), "30.00", "0.5 h below the rule's minimum: the list price");
        await page.click(row(long));
        await page.click(row(short));
        await page.waitForFunction(() => document.querySelector(".o_load_cases_summary")?.textContent.includes("2 cases"));
        const summary = await page.$eval(".o_load_cases_summary", (el) => el.textContent.replace(/\s+/g, " ").trim());
        assert.strictEqual(money(summary.split(",").at(-1)), "78.00", `the selection's total: ${summary}`);
        await screenshot(page, "customer-prices-grid");
        await page.click(".o_load_cases_confirm");
        await page.waitForSelector(".o_load_cases_dialog", { hidden: true });
        await page.waitForFunction((selector) => document.querySelectorAll(selector).length === 2, {}, LINES);

        const lines = await rpc.searchRead("account.move.line", [["move_id", "=", invoice], ["display_type", "=", "product"]],
            ["helpdesk_ticket_id", "price_unit", "quantity", "price_subtotal"]);
        const byCase = Object.fromEntries(lines.map((line) => [line.helpdesk_ticket_id[0], line.price_subtotal]));
        assert.deepEqual(byCase, { [long.id]: 48, [short.id]: 30 }, "the invoice bills what the grid showed");
        const [move] = await rpc.searchRead("account.move", [["id", "=", invoice]], ["amount_untaxed"]);
        assert.strictEqual(move.amount_untaxed, 78);
        assert.deepEqual(page.errors, [], "no browser error");
        await page.close();
    });
});
