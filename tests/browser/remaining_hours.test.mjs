import { openForm, screenshot, useBrowserSession } from "./lib/session.mjs";
import { billingTeam, customer, money } from "./lib/fixtures.mjs";

const INDICATOR = ".o_case_remaining_hours";
const TIMESHEETS = ".o_field_widget[name=timesheet_ids]";

async function indicator(page) {
    return page.$eval(INDICATOR, (el) => ({
        text: el.textContent.replace(/\s+/g, " ").trim(),
        level: el.dataset.level,
        badge: el.querySelector(".badge").className,
    }));
}

async function waitForIndicator(page, text) {
    await page.waitForFunction(
        (selector, expected) => document.querySelector(selector)?.textContent.trim() === expected,
        { timeout: 10_000 },
        INDICATOR,
        text,
    );
    return indicator(page);
}

/** Types a duration into a new row of the form's timesheet list and leaves the row. */
async function addTimeLine(page, duration, description) {
    await page.click(`${TIMESHEETS} .o_field_x2many_list_row_add a`);
    await page.waitForSelector(`${TIMESHEETS} .o_selected_row [name=unit_amount] input`);
    // Clicking into the next cell, as a user does, closes the new row's date picker.
    await page.click(`${TIMESHEETS} .o_selected_row [name=name] input`);
    await page.waitForSelector(".o_datetime_picker", { hidden: true });
    await page.type(`${TIMESHEETS} .o_selected_row [name=name] input`, description);
    const amount = `${TIMESHEETS} .o_selected_row [name=unit_amount] input`;
    await page.click(amount, { clickCount: 3 });
    await page.type(amount, duration);
    // Leaving the row commits it to the form's record, not to the server.
    await page.click(".o_form_sheet h1");
    await page.waitForSelector(`${TIMESHEETS} .o_selected_row`, { hidden: true });
    // The row's date picker may pop up as the row closes; a click away closes it.
    if (await page.$(".o_datetime_picker")) {
        await page.click(".o_form_sheet h1");
        await page.waitForSelector(".o_datetime_picker", { hidden: true });
    }
}

async function prepaidOrderLine(rpc, partner, hours) {
    const hour = await rpc.ref("uom.product_uom_hour");
    const product = await rpc.create("product.product", {
        name: `Prepaid support ${process.pid}`,
        type: "service",
        invoice_policy: "order",
        service_type: "timesheet",
        uom_id: hour,
        list_price: 90,
    });
    const order = await rpc.create("sale.order", {
        partner_id: partner,
        order_line: [[0, 0, { product_id: product, product_uom_qty: hours }]],
    });
    await rpc.call("sale.order", "action_confirm", [[order]]);
    const [line] = await rpc.searchRead("sale.order.line", [["order_id", "=", order]], ["id"]);
    return { order, line: line.id };
}

async function orderLine(rpc, id) {
    const [line] = await rpc.searchRead("sale.order.line", [["id", "=", id]], ["qty_delivered", "remaining_hours"]);
    return line;
}

QUnit.module("remaining prepaid hours", (hooks) => {
    const session = useBrowserSession(hooks);

    QUnit.test("the indicator follows the time typed in the form, before saving, and the order follows on save", async (assert) => {
        const { team, project } = await billingTeam(session.rpc, { case_billing_sale_order: true, case_billing_remaining_threshold: 10 });
        const { company, contact } = await customer(session.rpc);
        const { order, line } = await prepaidOrderLine(session.rpc, company, 2);
        const ticket = await session.rpc.create("helpdesk.ticket", {
            name: "Backups fail at night",
            description: "<p>Backups fail at night</p>",
            team_id: team,
            project_id: project,
            partner_id: contact,
        });
        const [created] = await session.rpc.searchRead("helpdesk.ticket", [["id", "=", ticket]], ["sale_line_id"]);
        assert.strictEqual(created.sale_line_id[0], line, "the case got the customer's prepaid line");
        await session.rpc.create("account.analytic.line", { name: "Diagnosis", ticket_id: ticket, unit_amount: 1.5 });
        assert.strictEqual((await orderLine(session.rpc, line)).qty_delivered, 1.5, "1:30 already delivered");

        const page = await session.page();
        await openForm(page, "helpdesk.ticket", ticket);
        await page.$$eval(".o_notebook_headers .nav-link", (links) => links.find((l) => l.textContent.trim() === "Timesheets").click());
        await page.waitForSelector(INDICATOR);
        let shown = await indicator(page);
        assert.strictEqual(shown.text, "Remaining on SO: 0:30", "2:00 sold, 1:30 logged");
        assert.strictEqual(shown.level, "ok", "green above 10% of 2:00 (0:12)");
        assert.true(shown.badge.includes("text-bg-success"));
        const lineName = await page.$eval(".o_field_widget[name=sale_line_id]", (el) => el.textContent + (el.querySelector("input")?.value || ""));
        assert.true(/remaining/.test(lineName), `the order item shows its remaining hours: ${lineName}`);

        await addTimeLine(page, "0:20", "Log analysis");
        shown = await waitForIndicator(page, "Remaining on SO: 0:10");
        assert.strictEqual(shown.level, "low", "orange at 0:10, under 0:12");
        assert.true(shown.badge.includes("text-bg-warning"));
        assert.strictEqual((await orderLine(session.rpc, line)).qty_delivered, 1.5, "nothing saved yet");
        await screenshot(page, "remaining-hours-low");

        await addTimeLine(page, "0:30", "Restore test");
        shown = await waitForIndicator(page, "0:20 over the hours sold");
        assert.strictEqual(shown.level, "out", "red once the hours sold are exceeded");
        assert.true(shown.badge.includes("text-bg-danger"));
        assert.strictEqual((await orderLine(session.rpc, line)).qty_delivered, 1.5, "still nothing saved");
        assert.true(await page.$eval(".o_form_button_save", (el) => el.offsetParent !== null), "the form has unsaved changes");
        await screenshot(page, "remaining-hours-out");

        await page.click(".o_form_button_save");
        await page.waitForSelector(".o_form_saved");
        shown = await waitForIndicator(page, "0:20 over the hours sold");
        assert.strictEqual(shown.level, "out", "the saved figure is the one shown before saving");
        const saved = await orderLine(session.rpc, line);
        assert.strictEqual(Math.round(saved.qty_delivered * 60), 140, "2:20 delivered on the order item");
        assert.strictEqual(Math.round(saved.remaining_hours * 60), -20, "0:20 over");

        // Removing a line gives its time back at once.
        await page.$$eval(`${TIMESHEETS} .o_data_row`, (rows) => {
            const row = rows.find((r) => r.textContent.includes("Restore test"));
            row.querySelector(".o_list_record_remove").click();
        });
        shown = await waitForIndicator(page, "Remaining on SO: 0:10");
        assert.strictEqual(shown.level, "low");
        await page.click(".o_form_button_save");
        await page.waitForSelector(".o_form_saved");
        assert.strictEqual(Math.round((await orderLine(session.rpc, line)).qty_delivered * 60), 110, "1:50 delivered after the removal");

        // The order's lines show the same figure and colour.
        await openForm(page, "sale.order", order);
        await page.waitForSelector(".o_field_widget[name=order_line] .o_remaining_hours_badge");
        const badge = await page.$eval(".o_field_widget[name=order_line] .o_remaining_hours_badge", (el) => ({ text: el.textContent.trim(), level: el.dataset.level }));
        assert.deepEqual(badge, { text: "0:10", level: "low" }, "the sales order line shows 0:10 left, in orange");
        await screenshot(page, "remaining-hours-sale-order");
        assert.deepEqual(page.errors, [], "no error in the browser console");
    });

    QUnit.test("the sales order item dropdown offers the customer's time items with their hours left", async (assert) => {
        const { team, project } = await billingTeam(session.rpc, { case_billing_sale_order: true });
        const { company, contact } = await customer(session.rpc);
        const other = await customer(session.rpc);
        const first = await prepaidOrderLine(session.rpc, company, 4);
        const second = await prepaidOrderLine(session.rpc, company, 6);
        const foreign = await prepaidOrderLine(session.rpc, other.company, 8);
        const ticket = await session.rpc.create("helpdesk.ticket", {
            name: "Two packs", description: "<p>x</p>", team_id: team, project_id: project, partner_id: contact,
        });
        const [row] = await session.rpc.searchRead("helpdesk.ticket", [["id", "=", ticket]], ["sale_line_id"]);
        assert.strictEqual(row.sale_line_id[0], second.line, "the most recent line with time left");
        const names = Object.fromEntries(
            (await session.rpc.searchRead("sale.order.line", [["id", "in", [first.line, second.line, foreign.line]]], ["order_id"])).map((l) => [l.id, l.order_id[1]]),
        );

        const page = await session.page();
        await openForm(page, "helpdesk.ticket", ticket);
        const input = ".o_field_widget[name=sale_line_id] input";
        await page.click(input, { clickCount: 3 });
        await page.keyboard.press("Backspace");
        await page.waitForFunction(() => {
            const menu = document.querySelector(".o-autocomplete--dropdown-menu");
            return menu && !menu.querySelector(".o_loading") && menu.querySelector(".o-autocomplete--dropdown-item");
        });
        const options = await page.$$eval(".o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item", (els) => els.map((el) => el.textContent.replace(/\s+/g, " ").trim()));
        await screenshot(page, "remaining-hours-sale-line-dropdown");
        assert.true(options.some((o) => o.includes(names[first.line]) && /04:00 remaining/.test(o)), `first pack with 4:00 left: ${options}`);
        assert.true(options.some((o) => o.includes(names[second.line]) && /06:00 remaining/.test(o)), "second pack with 6:00 left");
        assert.false(options.some((o) => o.includes(names[foreign.line])), "not another customer's pack");
        // A locator finds the item again if the menu re-renders before the click.
        await page.locator(`.o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item ::-p-text(${names[first.line]})`).click();
        await page.waitForSelector(".o-autocomplete--dropdown-menu", { hidden: true });
        await page.click(".o_form_button_save");
        await page.waitForSelector(".o_form_saved");
        const [saved] = await session.rpc.searchRead("helpdesk.ticket", [["id", "=", ticket]], ["sale_line_id"]);
        assert.strictEqual(saved.sale_line_id[0], first.line, "the chosen pack is saved");
        assert.deepEqual(page.errors, [], "no error in the browser console");
    });

    QUnit.test("the ticket list and kanban show the remaining hours badge", async (assert) => {
        const { team, project } = await billingTeam(session.rpc, { case_billing_sale_order: true });
        const { company, contact } = await customer(session.rpc);
        const { line } = await prepaidOrderLine(session.rpc, company, 3);
        const ticket = await session.rpc.create("helpdesk.ticket", {
            name: "Badge case", description: "<p>x</p>", team_id: team, project_id: project, partner_id: contact,
        });
        await session.rpc.create("account.analytic.line", { name: "Work", ticket_id: ticket, unit_amount: 1.25 });
        assert.strictEqual((await orderLine(session.rpc, line)).remaining_hours, 1.75);
        const page = await session.page();
        for (const view of ["list", "kanban"]) {
            const action = await session.rpc.ref("helpdesk_mgmt.helpdesk_ticket_action");
            await page.goto(`${process.env.HCB_URL}/odoo/action-${action}?view_type=${view}`, { waitUntil: "domcontentloaded" });
            const selector = view === "list" ? `.o_data_row .o_remaining_hours_badge` : `.o_kanban_record .o_remaining_hours_badge`;
            await page.waitForSelector(selector);
            const badges = await page.$$eval(selector, (els) => els.map((el) => ({ text: el.textContent.trim(), level: el.dataset.level })));
            assert.true(badges.some((b) => b.text === "1:45" && b.level === "ok"), `${view}: ${JSON.stringify(badges)}`);
        }
        await screenshot(page, "remaining-hours-kanban");
        assert.deepEqual(page.errors, [], "no error in the browser console");
    });

    QUnit.test("a material recorded on a case on a post-paid order is an item of the order, invoiced with the case's time", async (assert) => {
        const rpc = session.rpc;
        const { team, project } = await billingTeam(rpc, { case_billing_sale_order: true });
        const { company, contact } = await customer(rpc);
        const hour = await rpc.ref("uom.product_uom_hour");
        const support = await rpc.create("product.product", {
            name: `Support on timesheets (${process.pid})`, type: "service", invoice_policy: "delivery",
            service_type: "timesheet", uom_id: hour, list_price: 100, taxes_id: [[6, 0, []]],
        });
        const toner = await rpc.create("product.product", {
            name: `Toner cartridge ${process.pid}`, type: "consu", invoice_policy: "delivery",
            list_price: 49.9, sale_ok: true, taxes_id: [[6, 0, []]],
        });
        const order = await rpc.create("sale.order", {
            partner_id: company, order_line: [[0, 0, { product_id: support, product_uom_qty: 0 }]],
        });
        await rpc.call("sale.order", "action_confirm", [[order]]);
        const [hours] = await rpc.searchRead("sale.order.line", [["order_id", "=", order]], ["id"]);
        const ticket = await rpc.create("helpdesk.ticket", {
            name: "Printer out of toner", description: "<p>Printer out of toner</p>",
            team_id: team, project_id: project, partner_id: contact, sale_line_id: hours.id,
        });
        await rpc.create("account.analytic.line", { name: "Diagnosis", ticket_id: ticket, unit_amount: 1.5 });
        const [{ number }] = await rpc.searchRead("helpdesk.ticket", [["id", "=", ticket]], ["number"]);

        // The agent records the cartridges in the case's Materials tab.
        const page = await session.page();
        await openForm(page, "helpdesk.ticket", ticket);
        await page.$$eval(".o_notebook_headers .nav-link", (links) => links.find((l) => l.textContent.trim() === "Materials").click());
        const materials = ".o_field_widget[name=material_ids]";
        await page.click(`${materials} .o_field_x2many_list_row_add a`);
        await page.waitForSelector(`${materials} .o_selected_row [name=product_id] input`);
        await page.type(`${materials} .o_selected_row [name=product_id] input`, `Toner cartridge ${process.pid}`);
        await page.locator(`.o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item ::-p-text(Toner cartridge ${process.pid})`).click();
        const quantity = `${materials} .o_selected_row [name=quantity] input`;
        await page.click(quantity, { clickCount: 3 });
        await page.type(quantity, "2");
        await page.click(".o_form_button_save");
        await page.waitForSelector(".o_form_saved");

        const [material] = await rpc.searchRead("helpdesk.ticket.material", [["ticket_id", "=", ticket]], ["sale_line_id"]);
        assert.ok(material?.sale_line_id, "the material has an item on the case's order");
        const [item] = await rpc.searchRead("sale.order.line", [["id", "=", material.sale_line_id[0]]],
            ["order_id", "name", "product_uom_qty", "qty_delivered", "price_subtotal"]);
        assert.deepEqual(
            [item.order_id[0], item.name, item.product_uom_qty, item.qty_delivered, item.price_subtotal],
            [order, `Toner cartridge ${process.pid}\n${number} - Printer out of toner`, 2, 2, 99.8],
            "2 cartridges at 49.90, delivered, labelled with the case",
        );

        // The order shows the item with its amount.
        await openForm(page, "sale.order", order);
        await page.waitForSelector(".o_field_widget[name=order_line] .o_data_row");
        const rows = await page.$$eval(".o_field_widget[name=order_line] .o_data_row", (trs) => trs.map((tr) => Object.fromEntries(
            [...tr.querySelectorAll("td[name]")].map((td) => [td.getAttribute("name"), td.textContent.replace(/\s+/g, " ").trim()]),
        )));
        const row = rows.find((cells) => cells.product_template_id?.includes(`Toner cartridge ${process.pid}`)
            || cells.product_id?.includes(`Toner cartridge ${process.pid}`));
        assert.ok(row, `the order lists the material: ${JSON.stringify(rows)}`);
        assert.strictEqual(money(row?.price_unit ?? ""), "49.90", `its unit price: ${JSON.stringify(row)}`);
        assert.strictEqual(money(row?.price_subtotal ?? ""), "99.80", "its amount");
        assert.strictEqual(row?.qty_delivered, "2.00", "delivered with the case");
        // Odoo shows the product, then the rest of the description: the case.
        const described = row?.product_template_id || row?.product_id || "";
        assert.true(described.endsWith(`${number} - Printer out of toner`), `the case under the product: ${described}`);
        await screenshot(page, "materials-sale-order");

        // The order's invoice bills the case's time and the cartridges.
        const context = { active_model: "sale.order", active_ids: [order], active_id: order };
        const [wizard] = await rpc.call("sale.advance.payment.inv", "create", [[{ advance_payment_method: "delivered" }]], { context });
        await rpc.call("sale.advance.payment.inv", "create_invoices", [[wizard]], { context });
        const [invoice] = await rpc.searchRead("account.move", [["line_ids.sale_line_ids.order_id", "=", order]], ["amount_untaxed"]);
        const lines = await rpc.searchRead("account.move.line", [["move_id", "=", invoice.id], ["display_type", "=", "product"]], ["product_id", "price_subtotal"]);
        assert.deepEqual(
            lines.map((line) => [line.product_id[0], line.price_subtotal]).sort((a, b) => a[0] - b[0]),
            [[support, 150], [toner, 99.8]].sort((a, b) => a[0] - b[0]),
            "1:30 at 100.00 and 2 × 49.90",
        );
        assert.strictEqual(invoice.amount_untaxed, 249.8);

        // Invoiced through the order: the material is read-only, with its order.
        await openForm(page, "helpdesk.ticket", ticket);
        await page.$$eval(".o_notebook_headers .nav-link", (links) => links.find((l) => l.textContent.trim() === "Materials").click());
        await page.waitForSelector(`${materials} .o_data_row`);
        const cell = await page.$eval(`${materials} .o_data_row td[name=quantity]`, (td) => td.className);
        assert.true(cell.includes("o_readonly_modifier"), `the quantity is read-only: ${cell}`);
        const shown = await page.$eval(`${materials} .o_data_row`, (tr) => tr.textContent.replace(/\s+/g, " ").trim());
        const onOrder = await page.$eval(`${materials} .o_data_row td[name=sale_order_id]`, (td) => td.textContent.trim());
        assert.strictEqual(onOrder, item.order_id[1], "the row names the order");
        assert.true(shown.includes("2.00"), `the quantity billed: ${shown}`);
        await screenshot(page, "materials-sale-order-invoiced");
        assert.deepEqual(page.errors, [], "no error in the browser console");
    });
});
