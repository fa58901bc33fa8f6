// The accountant's and agent's journey in Dutch: the financial status on the
// case, Load helpdesk cases with its summary and notification, the invoice
// line's label in the customer's language and date format, and the invoice's
// Helpdesk cases tab whose badges show whole, all in Dutch with Dutch numbers.
import { billingTeam, closedCase, customer, draftInvoice } from "./lib/fixtures.mjs";
import { openForm, screenshot, useBrowserSession } from "./lib/session.mjs";

const text = (page, selector) => page.$eval(selector, (el) => el.textContent.replace(/\s+/g, " ").trim());

/** Activates Dutch with the standard wizard, which loads the modules' translations. */
async function activateDutch(rpc) {
    const [lang] = await rpc.call("res.lang", "search_read", [[["code", "=", "nl_NL"]]], {
        fields: ["id", "active"], context: { active_test: false },
    });
    if (!lang.active) {
        const wizard = await rpc.create("base.language.install", { lang_ids: [[6, 0, [lang.id]]] });
        await rpc.call("base.language.install", "lang_install", [[wizard]]);
    }
}

QUnit.module("in Dutch", (hooks) => {
    let open;
    let done;
    let invoice;
    let customerName;
    const login = `boekhouder-${process.pid}`;
    const session = useBrowserSession(hooks, async (rpc) => {
        await activateDutch(rpc);
        const groups = await Promise.all([
            "base.group_user", "account.group_account_invoice", "helpdesk_mgmt.group_helpdesk_manager",
            "hr_timesheet.group_hr_timesheet_user", "helpdesk_case_billing.group_case_billing",
        ].map((xmlid) => rpc.ref(xmlid)));
        await rpc.create("res.users", {
            name: "Boekhouder", login, password: "boekhouder-wachtwoord-1", lang: "nl_NL", tz: "Europe/Amsterdam",
            group_ids: [[6, 0, groups]],
        });
        const { team, project } = await billingTeam(rpc);
        const { company, contact } = await customer(rpc);
        await rpc.write("res.partner", [company, contact], { lang: "nl_NL" });
        [{ name: customerName }] = await rpc.searchRead("res.partner", [["id", "=", company]], ["name"]);
        done = await closedCase(rpc, { team, project, partner: contact, minutes: 50, title: "Mailserver ligt eruit" });
        const id = await rpc.create("helpdesk.ticket", {
            name: "Printer piept", description: "<p>Piept bij elke afdruk</p>", team_id: team, project_id: project, partner_id: contact,
        });
        [open] = await rpc.searchRead("helpdesk.ticket", [["id", "=", id]], ["number", "name"]);
        invoice = await draftInvoice(rpc, company);
    });

    QUnit.test("the case says in Dutch where its billing stands, and why", async (assert) => {
        const page = await session.page(login, "boekhouder-wachtwoord-1");
        await openForm(page, "helpdesk.ticket", open.id);
        await page.waitForSelector(".o_field_case_billing_status .o_case_billing_state");
        assert.strictEqual(await text(page, ".o_field_case_billing_status .o_case_billing_state"), "Niet klaar");
        const reasons = await page.$$eval(".o_field_case_billing_status .o_case_billing_reasons li", (items) => items.map((li) => li.textContent.trim()));
        assert.true(reasons.includes("De case is niet afgesloten."), reasons.join(" | "));
        assert.true(reasons.includes("Er is geen tijd aan de case besteed."), reasons.join(" | "));
        await screenshot(page, "dutch-case-not-ready");
        await openForm(page, "helpdesk.ticket", done.id);
        await page.waitForSelector(".o_field_case_billing_status .o_case_billing_state");
        assert.strictEqual(await text(page, ".o_field_case_billing_status .o_case_billing_state"), "Klaar om te factureren");
        assert.deepEqual(page.errors, [], "no browser error");
        await page.close();
    });

    QUnit.test("Load helpdesk cases in Dutch: the same figures in the dialog, the notification, the line and the tab", async (assert) => {
        const page = await session.page(login, "boekhouder-wachtwoord-1");
        await openForm(page, "account.move", invoice);
        await page.waitForSelector(".o_load_helpdesk_cases");
        assert.strictEqual(await text(page, ".o_load_helpdesk_cases"), "Helpdeskcases laden");
        await page.click(".o_load_helpdesk_cases");
        await page.waitForSelector(`.o_load_cases_row[data-case-id="${done.id}"]`);
        assert.strictEqual(await text(page, ".modal-title"), `Helpdeskcases van ${customerName}`);
        // The date filters are Odoo's date picker, in Dutch, and read the Dutch format.
        await page.click(".o_load_cases_from");
        await page.waitForSelector(".o_datetime_picker");
        const month = new Intl.DateTimeFormat("nl-NL", { month: "long", timeZone: "Europe/Amsterdam" }).format(new Date());
        const picker = await text(page, ".o_datetime_picker");
        assert.true(picker.toLowerCase().includes(month), `the picker speaks Dutch (${month}): ${picker.slice(0, 80)}`);
        const tomorrow = new Intl.DateTimeFormat("nl-NL", { timeZone: "Europe/Amsterdam", day: "2-digit", month: "2-digit", year: "numeric" })
            .format(new Date(Date.now() + 86_400_000));
        await page.$eval(".o_load_cases_from", (el) => { el.value = ""; });
        await page.type(".o_load_cases_from", tomorrow);
        await page.keyboard.press("Enter");
        await page.waitForSelector(`.o_load_cases_row[data-case-id="${done.id}"]`, { hidden: true });
        assert.ok(true, `closed from ${tomorrow}: today's case is filtered out`);
        // Closed from yesterday: the case is back.
        const yesterday = new Intl.DateTimeFormat("nl-NL", { timeZone: "Europe/Amsterdam", day: "2-digit", month: "2-digit", year: "numeric" })
            .format(new Date(Date.now() - 86_400_000));
        await page.$eval(".o_load_cases_from", (el) => { el.value = ""; });
        await page.type(".o_load_cases_from", yesterday);
        await page.keyboard.press("Enter");
        await page.waitForSelector(`.o_load_cases_row[data-case-id="${done.id}"]`);
        await page.click(".modal-title");
        const headers = await page.$$eval(".o_load_cases_head .o_load_cases_col", (cols) => cols.map((c) => c.textContent.trim()));
        assert.deepEqual(headers, ["Nummer", "Titel", "Team", "Afgesloten op", "Factureerbare tijd", "Gefactureerd", "Bedrag"]);
        const row = await page.$eval(`.o_load_cases_row[data-case-id="${done.id}"]`, (el) => [...el.querySelectorAll(".o_load_cases_col")].map((c) => c.textContent.replace(/\s+/g, " ").trim()));
        assert.deepEqual(row.slice(4), ["0:50", "4 × 15 min", "$ 60,00"], "time, units with their length, and a Dutch amount");
        await page.click(`.o_load_cases_row[data-case-id="${done.id}"]`);
        await page.waitForFunction(() => document.querySelector(".o_load_cases_summary")?.textContent.includes("1 case"));
        const summary = await text(page, ".o_load_cases_summary");
        assert.strictEqual(summary, "1 case geselecteerd: 1:00 u gefactureerd (4 × 15 min) voor 0:50 u factureerbare tijd, $ 60,00");
        assert.strictEqual(await text(page, ".o_load_cases_confirm"), "1 case toevoegen");
        await screenshot(page, "dutch-load-cases");
        await page.click(".o_load_cases_confirm");
        await page.waitForSelector(".o_load_cases_dialog", { hidden: true });
        await page.waitForFunction(() => [...document.querySelectorAll(".o_notification")].some((n) => n.textContent.includes("toegevoegd")));
        const notices = await page.$$eval(".o_notification", (els) => els.map((el) => el.textContent.replace(/\s+/g, " ").trim()));
        assert.true(notices.some((n) => n.includes("1 case toegevoegd aan de factuur: 1:00 u gefactureerd (4 × 15 min) voor 0:50 u factureerbare tijd, $ 60,00.")),
            notices.join(" | "));

        // The line speaks the customer's language, its closing day in the Dutch format.
        const [line] = await session.rpc.searchRead("account.move.line", [["helpdesk_ticket_id", "=", done.id]], ["name", "price_subtotal"]);
        const [ticket] = await session.rpc.searchRead("helpdesk.ticket", [["id", "=", done.id]], ["closed_date"]);
        const closed = new Date(`${ticket.closed_date.replace(" ", "T")}Z`);
        const day = new Intl.DateTimeFormat("nl-NL", { timeZone: "Europe/Amsterdam", day: "2-digit", month: "2-digit", year: "numeric" }).format(closed);
        assert.strictEqual(line.name, `${done.number} - Mailserver ligt eruit (afgesloten op ${day}) - 4 × 15 min`);
        assert.strictEqual(line.price_subtotal, 60);

        await page.click(".o_notebook .nav-link[name='helpdesk_cases']");
        await page.waitForSelector(".o_helpdesk_cases_summary");
        assert.strictEqual(await text(page, ".o_notebook .nav-link[name='helpdesk_cases']"), "Helpdeskcases");
        assert.strictEqual(await text(page, ".o_helpdesk_cases_summary"),
            "1 case: 1:00 u gefactureerd (4 × 15 min) voor 0:50 u factureerbare tijd, $ 60,00");
        const badges = await page.$$eval(".o_field_widget[name=helpdesk_ticket_ids] .o_data_row .badge", (els) => els.map((badge) => {
            const box = badge.closest(".o_list_renderer").getBoundingClientRect();
            const own = badge.getBoundingClientRect();
            return { text: badge.textContent.trim(), whole: own.width > 0 && own.right <= box.right + 0.5 && badge.scrollWidth <= badge.clientWidth };
        }));
        assert.true(badges.length > 0 && badges.every((b) => b.whole), `badges shown whole: ${JSON.stringify(badges)}`);
        assert.true(badges.some((b) => b.text === "Op een conceptfactuur"), `the case is on a draft invoice: ${JSON.stringify(badges)}`);
        await screenshot(page, "dutch-invoice-cases-tab");
        assert.deepEqual(page.errors, [], "no browser error");
        await page.close();
    });
});
