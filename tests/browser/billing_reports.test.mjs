import { ODOO_URL, screenshot, useBrowserSession } from "./lib/session.mjs";
import { billingTeam, closedCase, customer, draftInvoice } from "./lib/fixtures.mjs";

/** Text of the list's data rows. */
function rowTexts(page) {
    return page.$$eval(".o_list_view .o_data_row", (rows) => rows.map((r) => r.textContent.replace(/\s+/g, " ").trim()));
}

/** {field name: cell text} of the list's first data row. */
function firstRowCells(page) {
    return page.$eval(".o_list_view .o_data_row", (row) =>
        Object.fromEntries([...row.querySelectorAll("td[name]")].map((td) => [td.getAttribute("name"), td.textContent.trim()])),
    );
}

/** Searches the text; callers wait for a state only the filtered view has. */
async function searchFor(page, text) {
    await page.click(".o_searchview_input");
    await page.type(".o_searchview_input", text);
    await page.keyboard.press("Enter");
}

/** The amount as the web client prints it in a list: digits grouped, two decimals. */
function amountPattern(amount) {
    const [units, cents] = amount.toFixed(2).split(".");
    return new RegExp(`${units.replace(/\B(?=(\d{3})+(?!\d))/g, "[,.\\s]?")}[.,]${cents}`);
}

QUnit.module("billing reports", (hooks) => {
    const session = useBrowserSession(hooks);

    QUnit.test("Billed cases lists an invoiced case with its customer, invoice, units and amount", async (assert) => {
        const { team } = await billingTeam(session.rpc);
        const [teamRow] = await session.rpc.searchRead("helpdesk.ticket.team", [["id", "=", team]], ["name", "default_project_id"]);
        const buyer = await customer(session.rpc);
        const project = teamRow.default_project_id[0];
        const billed = await closedCase(session.rpc, { team, project, partner: buyer.contact, minutes: 20, title: "Report billed case" });
        // Another row, so that the list shows one row only once the search applies.
        const other = await closedCase(session.rpc, { team, project, partner: buyer.contact, minutes: 10, title: "Report other case" });
        const invoice = await draftInvoice(session.rpc, buyer.company);
        await session.rpc.call("account.move", "action_add_helpdesk_cases", [[invoice], [billed.id, other.id]]);
        await session.rpc.call("account.move", "action_post", [[invoice]]);
        const [move] = await session.rpc.searchRead("account.move", [["id", "=", invoice]], ["name"]);
        const [line] = await session.rpc.searchRead("account.move.line", [["helpdesk_ticket_id", "=", billed.id]], ["price_subtotal"]);
        const [company] = await session.rpc.searchRead("res.partner", [["id", "=", buyer.company]], ["name"]);

        const page = await session.page();
        await page.goto(`${ODOO_URL}/odoo/action-helpdesk_case_billing.helpdesk_case_billing_report_action`, { waitUntil: "domcontentloaded" });
        await page.waitForSelector(".o_list_view");
        await searchFor(page, billed.number);
        await page.waitForFunction(
            (number) => {
                const rows = [...document.querySelectorAll(".o_list_view .o_data_row")];
                return rows.length === 1 && rows[0].textContent.includes(number);
            },
            {},
            billed.number,
        );
        const cells = await firstRowCells(page);
        assert.strictEqual(cells.ticket_number, billed.number);
        assert.strictEqual(cells.ticket_name, "Report billed case");
        assert.strictEqual(cells.partner_id, company.name, "the customer");
        assert.strictEqual(cells.team_id, teamRow.name, "the team");
        assert.strictEqual(cells.move_id, move.name, "the invoice");
        assert.strictEqual(cells.state, "Posted", "the invoice status");
        // 20 minutes at 15-minute units: 2 units, 0:30 billed.
        assert.strictEqual(cells.billed_as, "2 × 15 min", "the billed units with their length");
        assert.false("billed_units" in cells, "no bare count of units");
        assert.strictEqual(cells.billed_hours, "00:30", "the billed time");
        assert.true(amountPattern(line.price_subtotal).test(cells.amount_untaxed), `the amount ${line.price_subtotal}: ${cells.amount_untaxed}`);
        await screenshot(page, "billed-cases-list");

        await page.click(".o_switch_view.o_pivot");
        await page.waitForSelector(".o_pivot table");
        const pivot = await page.$eval(".o_pivot table", (t) => t.textContent.replace(/\s+/g, " "));
        assert.true(pivot.includes(teamRow.name), `the pivot has a row for the team: ${pivot.slice(0, 200)}`);
        assert.true(amountPattern(line.price_subtotal).test(pivot), "and the amount");
        await screenshot(page, "billed-cases-pivot");

        await page.click(".o_switch_view.o_list");
        await page.waitForSelector(".o_list_view .o_data_row");
        await page.click(".o_list_view .o_data_row td[name='ticket_name']");
        await page.waitForSelector(".o_form_view .o_form_sheet");
        const number = await page.$eval(".o_form_view .oe_title h1", (el) => el.textContent.trim());
        assert.strictEqual(number, billed.number, "a row opens its case");
        assert.deepEqual(page.errors, [], "no error in the browser console");
    });

    QUnit.test("Unbilled revenue groups cases by reason and customer, and a row opens the case", async (assert) => {
        const { team, project } = await billingTeam(session.rpc);
        const buyer = await customer(session.rpc);
        const [company] = await session.rpc.searchRead("res.partner", [["id", "=", buyer.company]], ["name"]);
        const tag = `Unbilled ${process.pid}`;
        const ready = await closedCase(session.rpc, { team, project, partner: buyer.contact, minutes: 20, title: `${tag} ready` });
        const open = await session.rpc.create("helpdesk.ticket", {
            name: `${tag} open`, description: "<p>Still on it</p>", team_id: team, project_id: project, partner_id: buyer.contact,
        });
        await session.rpc.create("account.analytic.line", { name: "Work on the case", ticket_id: open, project_id: project, unit_amount: 0.75 });
        // Another open case, so that the Open group counts one case only once the search applies.
        const other = await session.rpc.create("helpdesk.ticket", {
            name: `Other ${process.pid}`, description: "<p>x</p>", team_id: team, project_id: project, partner_id: buyer.contact,
        });
        await session.rpc.create("account.analytic.line", { name: "Work", ticket_id: other, project_id: project, unit_amount: 0.5 });
        const [openRow] = await session.rpc.searchRead(
            "helpdesk.ticket", [["id", "=", open]], ["number", "billing_block_reason", "billing_amount_estimate", "billing_amount_unbilled"],
        );
        assert.strictEqual(openRow.billing_block_reason, "open", "the open case's reason, as stored");
        assert.strictEqual(openRow.billing_amount_unbilled, openRow.billing_amount_estimate, "its unbilled amount is its estimate");

        const page = await session.page();
        await page.goto(`${ODOO_URL}/odoo/action-helpdesk_case_billing.helpdesk_ticket_unbilled_action`, { waitUntil: "domcontentloaded" });
        await page.waitForSelector(".o_list_view .o_group_header");
        await searchFor(page, tag);
        // Grouped by reason first: one group per reason of this test's cases.
        await page.waitForFunction(() => {
            const groups = [...document.querySelectorAll(".o_list_view .o_group_header")].map((g) => g.textContent);
            return groups.length === 2 && groups.some((g) => g.includes("Open (1)")) && groups.some((g) => g.includes("Ready to bill (1)"));
        });
        const groups = await page.$$eval(".o_list_view .o_group_header", (rows) => rows.map((r) => r.textContent.replace(/\s+/g, " ").trim()));
        const openGroup = groups.find((g) => g.includes("Open"));
        assert.true(amountPattern(openRow.billing_amount_estimate).test(openGroup), `the Open group sums the estimate: ${openGroup}`);

        // Open the reason, then the customer, down to the case.
        await page.$$eval(".o_list_view .o_group_header", (rows) => rows.find((r) => r.textContent.includes("Open")).click());
        await page.waitForFunction(
            (name) => [...document.querySelectorAll(".o_list_view .o_group_header")].some((g) => g.textContent.includes(name)),
            {},
            company.name,
        );
        await page.$$eval(
            ".o_list_view .o_group_header",
            (rows, name) => rows.find((r) => r.textContent.includes(name)).click(),
            company.name,
        );
        await page.waitForFunction(
            (number) => [...document.querySelectorAll(".o_list_view .o_data_row")].some((r) => r.textContent.includes(number)),
            {},
            openRow.number,
        );
        const rows = await rowTexts(page);
        assert.strictEqual(rows.length, 1, "one case of this customer is open");
        const cells = await firstRowCells(page);
        assert.strictEqual(cells.number, openRow.number);
        assert.strictEqual(cells.billing_block_reason, "Open", "the case with its reason");
        assert.true(/not closed/.test(cells.billing_blockers), `and its blockers: ${cells.billing_blockers}`);
        assert.true(amountPattern(openRow.billing_amount_estimate).test(cells.billing_amount_unbilled), "and its estimated amount");
        assert.deepEqual(
            [cells.billing_duration_hours, cells.billing_unit_label],
            ["00:45", "3 × 15 min"],
            "its billable time and what the estimate bills: units with their length",
        );
        assert.false(rows[0].includes(ready.number), "the ready case is in its own group");
        await screenshot(page, "unbilled-revenue-list");

        await page.click(".o_list_view .o_data_row td[name='name']");
        await page.waitForSelector(".o_form_view .o_form_sheet");
        const number = await page.$eval(".o_form_view .oe_title h1", (el) => el.textContent.trim());
        assert.strictEqual(number, openRow.number, "the row opens the case to fix it");
        await screenshot(page, "unbilled-revenue-case");
        assert.deepEqual(page.errors, [], "no error in the browser console");
    });
});
