// What an accountant sees of the money rules: exact amounts in billing units,
// credit notes that free their cases, time marked not billable left out.
import { ODOO_URL, openForm, screenshot, useBrowserSession } from "./lib/session.mjs";
import { billingTeam, closedCase, customer, draftInvoice, money } from "./lib/fixtures.mjs";

const LINES = ".o_field_widget[name=invoice_line_ids] .o_data_row";

async function text(page, selector) {
    return page.$eval(selector, (el) => el.textContent.replace(/\s+/g, " ").trim());
}

/** A service product at `price` an hour, without taxes. */
async function hourlyProduct(rpc, price) {
    const hour = await rpc.ref("uom.product_uom_hour");
    return rpc.create("product.product", {
        name: `Support hour at ${price} (${process.pid})`,
        type: "service",
        uom_id: hour,
        list_price: price,
        taxes_id: [[6, 0, []]],
    });
}

async function openLoadCasesDialog(page) {
    await page.waitForSelector(".o_load_helpdesk_cases");
    await page.click(".o_load_helpdesk_cases");
    await page.waitForSelector(".o_load_cases_dialog .o_load_cases_grid");
}

/** The cells of a case's row in the Load helpdesk cases grid, by column. */
async function gridRow(page, caseId) {
    const row = `.o_load_cases_row[data-case-id="${caseId}"]`;
    await page.waitForSelector(row);
    return page.$eval(row, (el) => Object.fromEntries(
        ["number", "hours", "units", "amount"].map((key) => [key, el.querySelector(`.o_load_cases_col_${key}`).textContent.trim()]),
    ));
}

/** Selects one case in the open dialog and adds it; resolves once the dialog has closed. */
async function addCase(page, caseId) {
    await page.click(`.o_load_cases_row[data-case-id="${caseId}"]`);
    await page.waitForFunction(() => document.querySelector(".o_load_cases_confirm")?.textContent.trim() === "Add 1 case");
    const summary = await text(page, ".o_load_cases_summary");
    await page.click(".o_load_cases_confirm");
    await page.waitForSelector(".o_load_cases_dialog", { hidden: true });
    return summary;
}

/** The invoice form's lines as { column name: text }, once `count` rows show. */
async function invoiceLines(page, count) {
    await page.waitForFunction((selector, n) => document.querySelectorAll(selector).length === n, {}, LINES, count);
    const lines = await page.$$eval(LINES, (rows) => rows.map((row) => Object.fromEntries(
        [...row.querySelectorAll("td[name]")].map((td) => [td.getAttribute("name"), td.textContent.replace(/\s+/g, " ").trim()]),
    )));
    // Odoo 19 shows the product and the line's label in one column.
    return lines.map((line) => ({ ...line, label: line.product_id }));
}

/** The amount shown next to `label` in the invoice's totals ("Untaxed Amount", "Total"). */
async function totalShown(page, label) {
    const selector = ".o_field_widget[name=tax_totals] tr";
    await page.waitForFunction(
        (sel, name) => [...document.querySelectorAll(sel)].some((tr) => tr.querySelector("td")?.textContent.trim() === name),
        {},
        selector,
        label,
    );
    return page.$$eval(selector, (rows, name) => {
        const row = rows.find((tr) => tr.querySelector("td")?.textContent.trim() === name);
        return row.querySelectorAll("td")[1].textContent.replace(/\s+/g, " ").trim();
    }, label);
}

async function statusShown(page) {
    return page.$eval(".o_statusbar_status .o_arrow_button_current", (el) => el.textContent.trim());
}

/** Clicks a header button of the open form, waiting until it shows. */
async function clickHeaderButton(page, name) {
    const selector = `.o_form_statusbar button[name="${name}"]`;
    await page.waitForSelector(selector, { visible: true });
    await page.click(selector);
}

/** Posts the open invoice or credit note through its Confirm button, as the accountant does. */
async function confirmMove(page) {
    await clickHeaderButton(page, "action_post");
    // Odoo may ask to confirm an unusual amount or date first.
    await page.waitForFunction(() => document.querySelector(".modal button[name=action_validate_move]")
        || document.querySelector(".o_statusbar_status .o_arrow_button_current")?.textContent.trim() === "Posted");
    if (await page.$(".modal button[name=action_validate_move]")) {
        await page.click(".modal button[name=action_validate_move]");
    }
    await page.waitForFunction(() => document.querySelector(".o_statusbar_status .o_arrow_button_current")?.textContent.trim() === "Posted");
}

/**
 * Credit Note › Odoo's reversal wizard › `button` (refund_moves: Reverse,
 * modify_moves: Reverse and Create Invoice), as the accountant does; resolves
 * with the id of the move the wizard opens.
 */
async function reverseInUi(page, invoice, button) {
    await clickHeaderButton(page, "action_reverse");
    await page.waitForSelector(`.modal button[name=${button}]`);
    const title = await text(page, ".modal .modal-title");
    if (title !== "Credit Note") {
        throw new Error(`the Credit Note button opened "${title}"`);
    }
    await page.type(".modal .o_field_widget[name=reason] input", "Billed by mistake");
    await page.click(`.modal button[name=${button}]`);
    await page.waitForSelector(".modal", { hidden: true });
    const handle = await page.waitForFunction((id) => {
        const match = /\/(\d+)$/.exec(location.pathname);
        return match && Number(match[1]) !== id && document.querySelector(".o_form_view .o_form_sheet") ? Number(match[1]) : false;
    }, {}, invoice);
    return handle.jsonValue();
}

/** Posts an invoice billing `ticket` through JSON-RPC, for the tests that start from a posted invoice. */
async function postedInvoiceOf(rpc, company, ticket) {
    const invoice = await draftInvoice(rpc, company);
    await rpc.call("account.move", "action_add_helpdesk_cases", [[invoice], [ticket.id]]);
    await rpc.call("account.move", "action_post", [[invoice]]);
    return invoice;
}

async function caseBilling(rpc, id) {
    const [row] = await rpc.searchRead("helpdesk.ticket", [["id", "=", id]], ["invoice_id", "billing_status_id", "is_billable_now"]);
    return row;
}

QUnit.module("case money in the web client", (hooks) => {
    const session = useBrowserSession(hooks);
    /** The 7-minute team and its product; the case, customer and invoice the first test bills, for the credit note test. */
    const shared = {};

    async function sevenMinuteSetUp() {
        if (!shared.product) {
            shared.product = await hourlyProduct(session.rpc, 55);
            Object.assign(shared, await billingTeam(session.rpc, { case_billing_unit_minutes: 7, case_billing_product_id: shared.product }));
        }
        return shared;
    }

    QUnit.test("21 minutes at a 7-minute unit and 55.00 an hour: 3 units of 7 min, 19.25 on the invoice", async (assert) => {
        const { team, project } = await sevenMinuteSetUp();
        const { company, contact } = await customer(session.rpc);
        const ticket = await closedCase(session.rpc, { team, project, partner: contact, minutes: 21, title: "Mail server certificate" });
        const invoice = await draftInvoice(session.rpc, company);

        const page = await session.page();
        await openForm(page, "account.move", invoice);
        await openLoadCasesDialog(page);
        const row = await gridRow(page, ticket.id);
        assert.strictEqual(row.number, ticket.number, "the grid lists the case");
        assert.strictEqual(row.hours, "0:21", "21 minutes spent");
        assert.strictEqual(row.units, "3 × 7 min", "billed as 3 units of 7 minutes");
        assert.strictEqual(money(row.amount), "19.25", `the grid's amount is exact: ${row.amount}`);
        const summary = await addCase(page, ticket.id);
        assert.true(/^1 case selected: 0:21 h billed \(3 × 7 min\) for 0:21 h of billable time, \D*19\.25$/.test(summary), `the summary before adding: ${summary}`);

        const [line] = await invoiceLines(page, 1);
        assert.true(line.label.includes(ticket.number) && line.label.includes("3 × 7 min"), `the label names the case and its units: ${line.label}`);
        assert.true(/^3(\.0+)?$/.test(line.quantity), `quantity 3: ${line.quantity}`);
        assert.strictEqual(line.product_uom_id, "7 min", "the unit is the billing unit");
        assert.strictEqual(money(line.price_subtotal), "19.25", `the line's amount, rounded once: ${line.price_subtotal}`);
        assert.strictEqual(money(await totalShown(page, "Untaxed Amount")), "19.25", "the invoice's untaxed total");
        assert.strictEqual(money(await totalShown(page, "Total")), "19.25", "no tax: the total is the same");
        await screenshot(page, "case-money-invoice-7-min");

        const [stored] = await session.rpc.searchRead("account.move.line", [["move_id", "=", invoice], ["display_type", "=", "product"]],
            ["quantity", "product_uom_id", "price_subtotal", "helpdesk_ticket_id"]);
        assert.deepEqual(
            [stored.quantity, stored.product_uom_id[1], stored.price_subtotal, stored.helpdesk_ticket_id[0]],
            [3, "7 min", 19.25, ticket.id],
            "the server stored what the form shows",
        );
        assert.deepEqual(page.errors, [], "no error in the browser console");
        Object.assign(shared, { ticket, company, invoice });
    });

    QUnit.test("a posted credit note makes the case billable again, and a new invoice takes it", async (assert) => {
        await sevenMinuteSetUp();
        if (!shared.invoice) {
            // The first test did not get that far: bill a case the same way through JSON-RPC.
            const { company, contact } = await customer(session.rpc);
            shared.ticket = await closedCase(session.rpc, { ...shared, partner: contact, minutes: 21, title: "Mail server certificate" });
            shared.company = company;
            shared.invoice = await draftInvoice(session.rpc, company);
            await session.rpc.call("account.move", "action_add_helpdesk_cases", [[shared.invoice], [shared.ticket.id]]);
        }
        const { ticket, company, invoice } = shared;

        const page = await session.page();
        await openForm(page, "account.move", invoice);
        await confirmMove(page);
        assert.strictEqual((await caseBilling(session.rpc, ticket.id)).invoice_id[0], invoice, "posted: the case is invoiced");

        const credit = await reverseInUi(page, invoice, "refund_moves");
        const [creditNote] = await session.rpc.searchRead("account.move", [["id", "=", credit]], ["move_type", "state", "reversed_entry_id"]);
        assert.deepEqual([creditNote.move_type, creditNote.state, creditNote.reversed_entry_id[0]], ["out_refund", "draft", invoice], "a draft credit note of the invoice opens");
        const [creditLine] = await invoiceLines(page, 1);
        assert.true(creditLine.label.includes(ticket.number), `the credit note credits the case's line: ${creditLine.label}`);
        assert.true(/^3(\.0+)?$/.test(creditLine.quantity) && creditLine.product_uom_id === "7 min", "in full: 3 units of 7 min");
        assert.strictEqual(money(creditLine.price_subtotal), "19.25");
        const draft = await caseBilling(session.rpc, ticket.id);
        assert.strictEqual(draft.invoice_id[0], invoice, "a draft credit note credits nothing yet");

        await confirmMove(page);
        assert.strictEqual(await statusShown(page), "Posted", "the credit note is posted");
        assert.strictEqual(money(await totalShown(page, "Total")), "19.25", "for the invoice's full amount");
        await screenshot(page, "case-money-credit-note-posted");

        const freed = await caseBilling(session.rpc, ticket.id);
        assert.false(freed.invoice_id, "the case has no invoice any more");
        assert.true(freed.is_billable_now, "and is billable now");

        await openForm(page, "helpdesk.ticket", ticket.id);
        await page.waitForSelector(".o_case_billing_status [data-status-id]");
        assert.strictEqual(await text(page, ".o_case_billing_status [data-status-id]"), "Billable", "the badge says Billable, not Invoiced");
        assert.strictEqual(await page.$(".o_case_billing_invoice"), null, "no invoice link on the case any more");
        await screenshot(page, "case-money-case-billable-again");

        // A new draft invoice for the customer: Load helpdesk cases offers the case again.
        const second = await draftInvoice(session.rpc, company);
        await openForm(page, "account.move", second);
        await openLoadCasesDialog(page);
        const row = await gridRow(page, ticket.id);
        assert.deepEqual([row.units, money(row.amount)], ["3 × 7 min", "19.25"], "listed again, 3 units of 7 min for 19.25");
        await addCase(page, ticket.id);
        const [line] = await invoiceLines(page, 1);
        assert.strictEqual(money(line.price_subtotal), "19.25", "billed again at the same amount");
        assert.strictEqual((await caseBilling(session.rpc, ticket.id)).invoice_id[0], second, "the case is on the new invoice");
        assert.deepEqual(page.errors, [], "no error in the browser console");
    });

    QUnit.test("time marked not billable is left out: 30 of 75 minutes bill 2 units of 15 min", async (assert) => {
        const product = shared.product || await hourlyProduct(session.rpc, 55);
        const { team, project } = await billingTeam(session.rpc, { case_billing_unit_minutes: 15, case_billing_product_id: product });
        const { company, contact } = await customer(session.rpc);
        const ticket = await closedCase(session.rpc, { team, project, partner: contact, minutes: 30, title: "VPN drops every hour" });
        const goodwill = await session.rpc.create("account.analytic.line", {
            name: "Goodwill: training the new receptionist", ticket_id: ticket.id, project_id: project, unit_amount: 0.75,
        });
        await session.rpc.write("account.analytic.line", [goodwill], { case_billable: false });
        const invoice = await draftInvoice(session.rpc, company);

        const page = await session.page();
        await openForm(page, "account.move", invoice);
        await openLoadCasesDialog(page);
        const row = await gridRow(page, ticket.id);
        assert.strictEqual(row.hours, "0:30", "only the 30 billable minutes count, not 1:15");
        assert.strictEqual(row.units, "2 × 15 min", "billed as 2 units of 15 minutes");
        assert.strictEqual(money(row.amount), "27.50", `2 × 15 min at 55.00 an hour: ${row.amount}`);
        await page.click(`.o_load_cases_row[data-case-id="${ticket.id}"]`);
        await page.waitForFunction(() => document.querySelector(".o_load_cases_confirm")?.textContent.trim() === "Add 1 case");
        const summary = await text(page, ".o_load_cases_summary");
        assert.true(/^1 case selected: 0:30 h billed \(2 × 15 min\) for 0:30 h of billable time, \D*27\.50$/.test(summary), `the summary counts the billable time only: ${summary}`);
        await screenshot(page, "case-money-not-billable-time-dialog");
        await page.click(".o_load_cases_confirm");
        await page.waitForSelector(".o_load_cases_dialog", { hidden: true });

        const [line] = await invoiceLines(page, 1);
        assert.true(line.label.includes("2 × 15 min"), `the label says 2 × 15 min: ${line.label}`);
        assert.true(/^2(\.0+)?$/.test(line.quantity), `quantity 2: ${line.quantity}`);
        assert.strictEqual(line.product_uom_id, "15 min");
        assert.strictEqual(money(line.price_subtotal), "27.50", `the line bills 30 minutes: ${line.price_subtotal}`);
        assert.strictEqual(money(await totalShown(page, "Untaxed Amount")), "27.50", "the invoice's untaxed total");
        assert.deepEqual(page.errors, [], "no error in the browser console");
    });

    QUnit.test("units of 15 and 30 min never add up: the dialog, the notification, the invoice tab and the report say 1:30 h billed for 1:10 h, 82.50", async (assert) => {
        const product = shared.product || await hourlyProduct(session.rpc, 55);
        const quarter = await billingTeam(session.rpc, { case_billing_unit_minutes: 15, case_billing_product_id: product });
        const half = await billingTeam(session.rpc, { case_billing_unit_minutes: 30, case_billing_product_id: product });
        const { company, contact } = await customer(session.rpc);
        // 20 min at 15-min units: 2 × 15 min = 0:30, 27.50; 50 min at 30-min units: 2 × 30 min = 1:00, 55.00.
        const printer = await closedCase(session.rpc, { ...quarter, partner: contact, minutes: 20, title: "Printer offline" });
        const wifi = await closedCase(session.rpc, { ...half, partner: contact, minutes: 50, title: "Wi-Fi in the warehouse" });
        const invoice = await draftInvoice(session.rpc, company);
        const totals = "1:30 h billed (2 × 15 min + 2 × 30 min) for 1:10 h of billable time, ";

        const page = await session.page();
        await openForm(page, "account.move", invoice);
        await openLoadCasesDialog(page);
        assert.deepEqual(
            [await gridRow(page, printer.id), await gridRow(page, wifi.id)].map((row) => [row.hours, row.units, money(row.amount)]),
            [["0:20", "2 × 15 min", "27.50"], ["0:50", "2 × 30 min", "55.00"]],
            "each case with its units and their length",
        );
        await page.click(`.o_load_cases_row[data-case-id="${printer.id}"]`);
        await page.click(`.o_load_cases_row[data-case-id="${wifi.id}"]`);
        await page.waitForFunction(() => document.querySelector(".o_load_cases_confirm")?.textContent.trim() === "Add 2 cases");
        const summary = await text(page, ".o_load_cases_summary");
        assert.true(summary.startsWith(`2 cases selected: ${totals}`) && money(summary) === "82.50", `the dialog: ${summary}`);
        await screenshot(page, "case-money-two-unit-lengths-dialog");
        await page.click(".o_load_cases_confirm");
        await page.waitForSelector(".o_load_cases_dialog", { hidden: true });
        await page.waitForFunction(() => [...document.querySelectorAll(".o_notification")].some((n) => n.textContent.includes("2 cases added")));
        const told = await page.$$eval(".o_notification", (els) => els.map((el) => el.textContent.replace(/\s+/g, " ").trim()));
        const notice = told.find((t) => t.includes("2 cases added"));
        assert.true(notice.startsWith(`2 cases added to the invoice: ${totals}`) && money(notice) === "82.50", `the notification: ${notice}`);

        const lines = await invoiceLines(page, 2);
        assert.deepEqual(lines.map((line) => money(line.price_subtotal)).sort(), ["27.50", "55.00"], "one line per case");
        assert.strictEqual(money(await totalShown(page, "Untaxed Amount")), "82.50", "the invoice's untaxed total");

        await page.click(".o_notebook .nav-link[name='helpdesk_cases']");
        await page.waitForSelector(".o_helpdesk_cases_summary");
        const tab = await text(page, ".o_helpdesk_cases_summary");
        assert.true(tab.startsWith(`2 cases: ${totals}`) && money(tab) === "82.50", `the invoice's Helpdesk cases tab: ${tab}`);
        const tabRows = await page.$$eval(".o_field_widget[name=helpdesk_ticket_ids] .o_data_row", (rows) => rows.map((row) => Object.fromEntries(
            [...row.querySelectorAll("td[name]")].map((td) => [td.getAttribute("name"), td.textContent.trim()]),
        )));
        assert.deepEqual(
            tabRows.map((row) => [row.billing_duration_hours, row.billing_billed_hours, row.billing_unit_label]).sort(),
            [["00:20", "00:30", "2 × 15 min"], ["00:50", "01:00", "2 × 30 min"]],
            "each case: time spent, time billed, units with their length",
        );
        // Beside the chatter the tab is narrow: the status badges still show whole.
        const cutBadges = await page.$$eval(".o_field_widget[name=helpdesk_ticket_ids] .o_data_row .badge", (badges) => badges
            .filter((badge) => {
                const box = badge.closest(".o_list_renderer").getBoundingClientRect();
                const own = badge.getBoundingClientRect();
                return !own.width || own.right > box.right + 0.5 || badge.scrollWidth > badge.clientWidth;
            })
            .map((badge) => badge.textContent.trim()));
        assert.deepEqual(cutBadges, [], "no status badge of the tab is cut off");
        const footer = await text(page, ".o_field_widget[name=helpdesk_ticket_ids] tfoot");
        assert.true(footer.includes("01:10") && footer.includes("01:30"), `the tab totals time spent and time billed: ${footer}`);
        await screenshot(page, "case-money-invoice-cases-tab");

        // Billed cases: the same figures, time and amount totalled, units never.
        await session.rpc.call("account.move", "action_post", [[invoice]]);
        const [move] = await session.rpc.searchRead("account.move", [["id", "=", invoice]], ["name"]);
        await page.goto(`${ODOO_URL}/odoo/action-helpdesk_case_billing.helpdesk_case_billing_report_action`, { waitUntil: "domcontentloaded" });
        await page.waitForSelector(".o_list_view");
        await page.click(".o_searchview_input");
        await page.type(".o_searchview_input", move.name);
        // The search on the Invoice field, not on the case.
        const item = ".o_searchview_autocomplete .dropdown-item";
        await page.waitForFunction((sel) => [...document.querySelectorAll(sel)].some((el) => /Search\s+Invoice\b/.test(el.textContent)), {}, item);
        await page.$$eval(item, (items) => items.find((el) => /Search\s+Invoice\b/.test(el.textContent)).click());
        await page.waitForFunction(() => document.querySelectorAll(".o_list_view .o_data_row").length === 2);
        const reportRows = await page.$$eval(".o_list_view .o_data_row", (rows) => rows.map((row) => Object.fromEntries(
            [...row.querySelectorAll("td[name]")].map((td) => [td.getAttribute("name"), td.textContent.trim()]),
        )));
        assert.deepEqual(
            reportRows.map((row) => [row.billed_hours, row.billed_as, money(row.amount_untaxed)]).sort(),
            [["00:30", "2 × 15 min", "27.50"], ["01:00", "2 × 30 min", "55.00"]],
            "the report's rows",
        );
        const reportFooter = await text(page, ".o_list_view tfoot");
        assert.true(reportFooter.includes("01:30") && reportFooter.includes("82.50"), `the report totals 1:30 h billed and 82.50: ${reportFooter}`);
        assert.false(/\b4(\.00)?\b/.test(reportFooter), `no total of units: ${reportFooter}`);
        await screenshot(page, "case-money-billed-cases-report");
        assert.deepEqual(page.errors, [], "no error in the browser console");
    });

    QUnit.test("a partial credit note leaves the case invoiced and locked", async (assert) => {
        const { team, project } = await sevenMinuteSetUp();
        const { company, contact } = await customer(session.rpc);
        const ticket = await closedCase(session.rpc, { team, project, partner: contact, minutes: 21, title: "Partly credited" });
        const invoice = await postedInvoiceOf(session.rpc, company, ticket);

        const page = await session.page();
        await openForm(page, "account.move", invoice);
        await reverseInUi(page, invoice, "refund_moves");
        // Credit 1 of the 3 units: the accountant edits the quantity before posting.
        await invoiceLines(page, 1);
        await page.click(`${LINES} td[name=quantity]`);
        const quantity = `${LINES}.o_selected_row td[name=quantity] input`;
        await page.waitForSelector(quantity);
        await page.focus(quantity);
        await page.keyboard.down("Control");
        await page.keyboard.press("KeyA");
        await page.keyboard.up("Control");
        await page.keyboard.type("1");
        await page.waitForFunction((selector) => document.querySelector(selector)?.value === "1", {}, quantity);
        await page.click(".o_form_sheet .oe_title");
        await page.waitForSelector(`${LINES}.o_selected_row`, { hidden: true });
        const [line] = await invoiceLines(page, 1);
        assert.true(/^1(\.0+)?$/.test(line.quantity), `1 unit credited: ${line.quantity}`);
        assert.strictEqual(money(line.price_subtotal), "6.42", `one 7-minute unit at 55.00 an hour: ${line.price_subtotal}`);
        await confirmMove(page);
        assert.strictEqual(money(await totalShown(page, "Total")), "6.42", "the posted credit note credits 6.42");

        const row = await caseBilling(session.rpc, ticket.id);
        assert.strictEqual(row.invoice_id[0], invoice, "the case stays on its invoice");
        assert.false(row.is_billable_now, "and is not billable again");
        await assert.rejects(
            session.rpc.create("account.analytic.line", { name: "More work", ticket_id: ticket.id, project_id: project, unit_amount: 0.25 }),
            /cannot be created/,
            "its time stays locked",
        );
        await openForm(page, "helpdesk.ticket", ticket.id);
        await page.waitForSelector(".o_case_billing_status [data-status-id]");
        assert.strictEqual(await text(page, ".o_case_billing_status [data-status-id]"), "Invoiced", "the badge still says Invoiced");
        await page.waitForSelector(".o_case_billing_invoice");
        assert.deepEqual(page.errors, [], "no error in the browser console");
    });

    QUnit.test("Reverse and Create Invoice puts the case on the new draft invoice", async (assert) => {
        const { team, project } = await sevenMinuteSetUp();
        const { company, contact } = await customer(session.rpc);
        const ticket = await closedCase(session.rpc, { team, project, partner: contact, minutes: 21, title: "Invoiced again" });
        const invoice = await postedInvoiceOf(session.rpc, company, ticket);

        const page = await session.page();
        await openForm(page, "account.move", invoice);
        const draft = await reverseInUi(page, invoice, "modify_moves");
        const [move] = await session.rpc.searchRead("account.move", [["id", "=", draft]], ["move_type", "state"]);
        assert.deepEqual([move.move_type, move.state], ["out_invoice", "draft"], "the new draft invoice opens");
        const [line] = await invoiceLines(page, 1);
        assert.true(line.label.includes(ticket.number), `its line bills the case: ${line.label}`);
        assert.true(/^3(\.0+)?$/.test(line.quantity) && line.product_uom_id === "7 min", "3 units of 7 min");
        assert.strictEqual(money(line.price_subtotal), "19.25");
        assert.strictEqual((await caseBilling(session.rpc, ticket.id)).invoice_id[0], draft, "the case is on the new draft");

        await openForm(page, "helpdesk.ticket", ticket.id);
        await page.waitForSelector(".o_case_billing_invoice");
        assert.strictEqual(await text(page, ".o_case_billing_status [data-status-id]"), "Invoiced");
        await page.click(".o_case_billing_invoice");
        await page.waitForFunction((id) => location.pathname.endsWith(`/${id}`), {}, draft);
        assert.true(page.url().endsWith(`/${draft}`), "the case's invoice link opens the new draft");
        assert.deepEqual(page.errors, [], "no error in the browser console");
    });
});
