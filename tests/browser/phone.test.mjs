// A phone-sized screen (390×844, touch): the Load helpdesk cases dialog shows
// each case as a card, with no keyboard hints and nothing wider than the
// screen; the case's time lines and the customer's approval page fit too.
import { billingTeam, closedCase, customer, draftInvoice } from "./lib/fixtures.mjs";
import { ODOO_URL, loggedInPage, openForm, screenshot, useBrowserSession } from "./lib/session.mjs";

const PHONE = { width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 1 };

/** How far the page reaches beyond the screen's width, in CSS pixels (0 when it fits). */
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/** The elements of `selector` wider than the screen, by their class, to say which one does not fit. */
const tooWide = (page, selector) =>
    page.$$eval(selector, (els) => els.filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
        .map((el) => el.className));

QUnit.module("on a phone", (hooks) => {
    let invoice;
    let billable;
    let waiting;
    let approvalUrl;
    const session = useBrowserSession(hooks, async (rpc) => {
        const { team, project } = await billingTeam(rpc);
        const { company, contact } = await customer(rpc);
        await rpc.write("res.partner", [contact], { email: "phone@customer.example" });
        billable = await closedCase(rpc, { team, project, partner: contact, minutes: 50, title: "Mail server down after the update" });
        invoice = await draftInvoice(rpc, company);
        // A case the customer must approve first: not billable, and its approval page.
        const [admin] = await rpc.searchRead("res.users", [["id", "=", rpc.uid]], ["company_id"]);
        await rpc.write("res.company", [admin.company_id[0]], {
            case_billing_approval_trigger: "on_close",
            case_billing_approval_expiry_days: 30,
        });
        const approvalTeam = await billingTeam(rpc, { case_billing_approval_required: true });
        waiting = await closedCase(rpc, { ...approvalTeam, partner: contact, minutes: 20, title: "Printer jams" });
        const [approval] = await rpc.searchRead("helpdesk.ticket.approval", [["ticket_id", "=", waiting.id]], ["access_url", "access_token"]);
        approvalUrl = `${ODOO_URL}${approval.access_url}?access_token=${approval.access_token}`;
    });

    async function phonePage() {
        const page = await loggedInPage(session.browser);
        await page.setViewport(PHONE);
        return page;
    }

    QUnit.test("Load helpdesk cases: cards, no keyboard hints, nothing wider than the screen", async (assert) => {
        const page = await phonePage();
        await openForm(page, "account.move", invoice);
        await page.waitForSelector(".o_load_helpdesk_cases");
        await page.click(".o_load_helpdesk_cases");
        await page.waitForSelector(".o_load_cases_dialog.o_load_cases_compact .o_load_cases_grid");
        await page.click(".o_load_cases_show_not_billable");
        const card = `.o_load_cases_row[data-case-id="${billable.id}"]`;
        await page.waitForSelector(card);
        await page.waitForSelector(`.o_load_cases_row[data-case-id="${waiting.id}"].o_not_billable`);
        const cardText = (id, part) => page.$eval(`.o_load_cases_row[data-case-id="${id}"] .o_load_cases_col_${part}`,
            (el) => el.innerText.replace(/\s+/g, " ").trim());
        assert.strictEqual(await cardText(billable.id, "number"), billable.number, "the card's number");
        assert.true((await cardText(billable.id, "title")).startsWith("Mail server down"), "its title");
        // The labels are drawn before the values (CSS ::before), from the columns' names.
        const labelled = (id, part) => page.$eval(`.o_load_cases_row[data-case-id="${id}"] .o_load_cases_col_${part}`,
            (el) => `${getComputedStyle(el, "::before").content.replace(/^"|"$/g, "")}${el.innerText.trim()}`);
        assert.strictEqual(await labelled(billable.id, "hours"), "Billable time 0:50", "its time, labelled");
        assert.strictEqual(await labelled(billable.id, "units"), "Billed 4 × 15 min", "its units with their size, labelled");
        assert.strictEqual(await cardText(billable.id, "amount"), "$ 60.00", "its amount: 1:00 h at 60.00");
        assert.true((await cardText(waiting.id, "title")).includes("Awaiting customer approval"),
            "the reason a case is not billable is written on its card, not in a tooltip");
        const blockers = await page.$eval(`.o_load_cases_row[data-case-id="${waiting.id}"] .o_load_cases_blockers`,
            (el) => { const r = el.getBoundingClientRect(); return { width: r.width, height: r.height }; });
        assert.true(blockers.height > 0 && blockers.width > 0, "the reasons are shown");
        assert.strictEqual(await page.$(".o_load_cases_keys"), null, "no keyboard hints on a touch screen");
        assert.deepEqual(await tooWide(page, ".o_load_cases_dialog, .o_load_cases_row, .o_load_cases_col, .o_load_cases_filters > div"), [],
            "no card, column or filter reaches beyond the screen");
        const grid = await page.$eval(".o_load_cases_grid", (el) => el.scrollWidth - el.clientWidth);
        assert.strictEqual(grid, 0, "no horizontal scrolling in the list of cases");
        assert.strictEqual(await overflow(page), 0, "no horizontal scrolling of the page");
        // Selecting by touch adds the case.
        await page.click(card);
        await page.waitForSelector(`${card}.o_selected`);
        await screenshot(page, "phone-load-cases");
        assert.deepEqual(page.errors, [], "no browser error");
        await page.close();
    });

    QUnit.test("the case's time lines fit the screen", async (assert) => {
        const page = await phonePage();
        await openForm(page, "helpdesk.ticket", billable.id);
        const tab = await page.$$eval(".o_notebook .nav-link", (links) => links.findIndex((a) => /Timesheets/.test(a.textContent)));
        assert.true(tab >= 0, "the Timesheets tab is there");
        await page.evaluate((i) => document.querySelectorAll(".o_notebook .nav-link")[i].click(), tab);
        await page.waitForSelector(".o_field_widget[name=timesheet_ids]");
        const lines = await page.$eval(".o_field_widget[name=timesheet_ids]", (el) => el.innerText);
        assert.true(/0?0:50/.test(lines), `the 50-minute line is shown: ${lines.replace(/\s+/g, " ").slice(0, 200)}`);
        assert.deepEqual(await tooWide(page, ".o_field_widget[name=timesheet_ids], .o_field_widget[name=timesheet_ids] .o_kanban_record, .o_field_widget[name=timesheet_ids] table"), [],
            "the time lines are no wider than the screen");
        assert.strictEqual(await overflow(page), 0, "no horizontal scrolling of the page");
        assert.ok(await page.$(".o_field_widget[name=timesheet_ids] .o_case_time_cards"), "the lines are cards");
        await page.$eval(".o_field_widget[name=timesheet_ids]", (el) => el.scrollIntoView({ block: "center" }));
        await screenshot(page, "phone-case-time-lines");
        assert.deepEqual(page.errors, [], "no browser error");
        await page.close();
    });

    QUnit.test("the customer's approval page fits the screen", async (assert) => {
        const context = await session.browser.createBrowserContext();
        const page = await context.newPage();
        await page.setViewport(PHONE);
        await page.goto(approvalUrl, { waitUntil: "networkidle0" });
        await page.waitForSelector(".o_case_approval");
        assert.true((await page.$eval(".o_case_approval", (el) => el.innerText)).includes(waiting.number), "the case is shown");
        assert.deepEqual(await tooWide(page, ".o_case_approval, .o_case_approval table, .o_case_approval .btn"), [],
            "the page's table and buttons are no wider than the screen");
        assert.strictEqual(await overflow(page), 0, "no horizontal scrolling of the page");
        await screenshot(page, "phone-approval");
        await context.close();
    });
});
