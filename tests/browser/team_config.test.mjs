import { openForm, screenshot, useBrowserSession } from "./lib/session.mjs";
import { closedCase, customer } from "./lib/fixtures.mjs";

const NOTICE = ".o_form_view div[name=case_billing_preview]";

async function text(page, selector) {
    return page.$eval(selector, (el) => el.textContent.replace(/\s+/g, " ").trim());
}

/** Waits until the team form's notice about saving says `pattern`, and returns it. */
async function waitForNotice(page, pattern) {
    await page.waitForFunction(
        (selector, source) => new RegExp(source).test(document.querySelector(selector)?.textContent.replace(/\s+/g, " ") || ""),
        { timeout: 10_000 },
        NOTICE,
        pattern.source,
    ).catch(() => {});
    return text(page, NOTICE).catch(() => "(no notice)");
}

QUnit.module("team billing settings", (hooks) => {
    const session = useBrowserSession(hooks);

    QUnit.test("switching billing on says how many past cases become billable, offers a cut-off date, and a quick-created product is sold by the hour", async (assert) => {
        const rpc = session.rpc;
        const project = await rpc.create("project.project", { name: `Field project ${process.pid}`, allow_timesheets: true });
        const team = await rpc.create("helpdesk.ticket.team", { name: `Field service ${process.pid}`, default_project_id: project });
        const { contact } = await customer(rpc);
        const cases = [];
        for (const day of ["2025-01-10", "2025-02-14", "2025-03-05"]) {
            const { id } = await closedCase(rpc, { team, project, partner: contact, title: `Closed on ${day}` });
            // Noon UTC: the same day in any time zone of the team's company.
            await rpc.write("helpdesk.ticket", [id], { closed_date: `${day} 12:00:00` });
            cases.push(id);
        }

        const page = await session.page();
        await openForm(page, "helpdesk.ticket.team", team);
        assert.strictEqual(await page.$(NOTICE), null, "nothing to say before a change");
        await page.click(".o_field_widget[name=case_billing_enabled] input");
        let notice = await waitForNotice(page, /Saving makes 3 closed cases/);
        assert.strictEqual(
            notice,
            "Saving makes 3 closed cases of this team billable, closed from 01/10/2025 to 03/05/2025. "
                + "To leave older cases unbilled, set Bill cases closed from: cases closed before that day are never billed.",
        );

        // The unit reads "Billing unit 15 minutes": its minutes once.
        const unitRow = await page.evaluate(() => {
            const row = document.querySelector("div[name=case_billing_unit]");
            const input = row.querySelector(".o_field_widget[name=case_billing_unit_minutes] input");
            // The label's help marker aside.
            const label = document.querySelector(`label.o_form_label[for="${input.id}"]`).cloneNode(true);
            label.querySelectorAll("sup").forEach((sup) => sup.remove());
            const value = input.value;
            const after = row.querySelector(":scope > span").textContent;
            return [label.textContent, value, after].map((part) => part.trim()).join(" ");
        });
        assert.strictEqual(unitRow, "Billing unit 15 minutes");

        // The cut-off the notice offers counts at once.
        const startDate = ".o_field_widget[name=case_billing_start_date] input";
        await page.click(startDate);
        await page.type(startDate, "03/01/2025");
        await page.keyboard.press("Enter");
        notice = await waitForNotice(page, /Saving makes 1 closed case/);
        assert.true(
            notice.startsWith("Saving makes 1 closed case of this team billable, closed on 03/05/2025."),
            notice,
        );
        if (await page.$(".o_datetime_picker")) {
            await page.click(NOTICE);
            await page.waitForSelector(".o_datetime_picker", { hidden: true });
        }

        // Quick-creating the billing product from the team makes a service in Hours.
        const productName = `Field work ${process.pid}`;
        const productInput = ".o_field_widget[name=case_billing_product_id] input";
        await page.click(productInput, { clickCount: 3 });
        await page.type(productInput, productName);
        await page.waitForSelector(".o-autocomplete--dropdown-menu .o_m2o_dropdown_option_create");
        await page.click(".o-autocomplete--dropdown-menu .o_m2o_dropdown_option_create");
        await page.waitForFunction(
            (selector, name) => document.querySelector(selector)?.value === name,
            { timeout: 10_000 },
            productInput,
            productName,
        );
        await screenshot(page, "team-billing-switched-on");

        await page.click(".o_form_button_save");
        await page.waitForSelector(".o_form_button_save", { hidden: true, timeout: 10_000 }).catch(() => {});
        assert.strictEqual(await page.$(".o_error_dialog, .modal .o_dialog_warning"), null, "the team saves without an error");
        const [product] = await rpc.searchRead("product.product", [["name", "=", productName]], ["type", "uom_id"]);
        assert.strictEqual(product?.type, "service");
        assert.strictEqual(product?.uom_id?.[1], "Hours");
        const [saved] = await rpc.searchRead(
            "helpdesk.ticket.team", [["id", "=", team]], ["case_billing_enabled", "case_billing_product_id", "case_billing_start_date"],
        );
        assert.deepEqual(
            [saved.case_billing_enabled, saved.case_billing_product_id[0], saved.case_billing_start_date],
            [true, product.id, "2025-03-01"],
        );
        const billable = await rpc.searchRead("helpdesk.ticket", [["id", "in", cases], ["is_billable_now", "=", true]], ["id"]);
        assert.deepEqual(billable.map((row) => row.id), [cases[2]], "only the case closed from the cut-off is billable");
        assert.strictEqual(await page.$(NOTICE), null, "saved: nothing more to say");
        assert.deepEqual(page.errors, [], "no error in the browser console");
    });
});
