// The customer's approval of a case's time on the portal, as the holder of
// the e-mailed link sees it (not logged in), then the result on the case.
import { billingTeam, closedCase, customer } from "./lib/fixtures.mjs";
import { ODOO_URL, openForm, screenshot, useBrowserSession } from "./lib/session.mjs";

/** A page of a fresh browser context with no session: the link holder. */
async function anonymousPage(browser) {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    page.errors = [];
    page.on("pageerror", (error) => page.errors.push(String(error)));
    page.on("console", (message) => {
        if (message.type() === "error" && !/Failed to load resource/.test(message.text())) {
            page.errors.push(message.text());
        }
    });
    page.setDefaultTimeout(30_000);
    page.setDefaultNavigationTimeout(180_000);
    return page;
}

async function approvalOf(rpc, ticketId) {
    const [row] = await rpc.searchRead(
        "helpdesk.ticket.approval",
        [["ticket_id", "=", ticketId]],
        ["id", "name", "state", "access_url", "access_token", "comment"],
    );
    return row;
}

async function ticketStatus(rpc, ticketId) {
    const [row] = await rpc.searchRead(
        "helpdesk.ticket",
        [["id", "=", ticketId]],
        ["customer_approval_state", "billing_blockers", "is_billable_now"],
    );
    return row;
}

const text = (page, selector) => page.$eval(selector, (el) => el.textContent.replace(/\s+/g, " ").trim());

QUnit.module("customer approval of case time", (hooks) => {
    let approved;
    let rejected;
    const session = useBrowserSession(hooks, async (rpc) => {
        const [admin] = await rpc.searchRead("res.users", [["id", "=", rpc.uid]], ["company_id"]);
        await rpc.write("res.company", [admin.company_id[0]], {
            case_billing_approval_trigger: "on_close",
            case_billing_approval_expiry_days: 30,
        });
        const { team, project } = await billingTeam(rpc, { case_billing_approval_required: true });
        const { contact } = await customer(rpc);
        await rpc.write("res.partner", [contact], { email: "approver@customer.example" });
        approved = await closedCase(rpc, { team, project, partner: contact, minutes: 20, title: "Printer jams" });
        rejected = await closedCase(rpc, { team, project, partner: contact, minutes: 50, title: "Mail server down" });
    });

    QUnit.test("closing the cases sent their requests", async (assert) => {
        for (const ticket of [approved, rejected]) {
            const approval = await approvalOf(session.rpc, ticket.id);
            assert.strictEqual(approval.state, "sent", `${ticket.name}: the request is sent`);
            assert.ok(approval.access_token, "with a secret link");
            const status = await ticketStatus(session.rpc, ticket.id);
            assert.false(status.is_billable_now, "the case waits for the customer");
            assert.strictEqual(status.billing_blockers, "Awaiting customer approval.");
        }
    });

    QUnit.test("the link holder approves the time", async (assert) => {
        const approval = await approvalOf(session.rpc, approved.id);
        const page = await anonymousPage(session.browser);
        await page.goto(`${ODOO_URL}${approval.access_url}?access_token=${approval.access_token}`, { waitUntil: "networkidle0" });
        await page.waitForSelector(".o_case_approval");
        assert.ok((await text(page, ".o_case_approval h3")).includes(approved.number), "the case number is shown");
        assert.strictEqual(await text(page, ".o_case_approval_ticket_name"), "Printer jams");
        const rows = await page.$$eval(".o_case_approval_line", (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent.trim())));
        assert.strictEqual(rows.length, 1, "one time line");
        assert.strictEqual(rows[0][2], "Work on the case", "its description");
        assert.strictEqual(rows[0][3], "00:20", "its duration");
        assert.strictEqual(await text(page, ".o_case_approval_total"), "00:20", "the total");
        assert.strictEqual(await page.$eval(".o_case_approval_state", (el) => el.dataset.state), "sent");
        // What the customer approves is what the case bills: 2 units of 15 min at 60.00 an hour.
        assert.strictEqual(
            await text(page, ".o_case_approval_summary"),
            "20 min spent, billed as 30 min (2 × 15 min): $ 30.00",
        );
        assert.strictEqual(await text(page, ".o_case_approval_state"), "Waiting for your answer");
        await screenshot(page, "customer-approval-page");

        await Promise.all([
            page.waitForNavigation({ waitUntil: "networkidle0" }),
            page.click(".o_case_approval_approve button[type=submit]"),
        ]);
        assert.ok((await text(page, ".o_case_approval_message")).includes("you approved the time"), "the customer is thanked");
        assert.strictEqual(await page.$eval(".o_case_approval_state", (el) => el.dataset.state), "approved");
        assert.strictEqual(await page.$(".o_case_approval_approve"), null, "no more buttons");
        assert.ok((await text(page, ".o_case_approval_decision")).startsWith("Approved by"), "the decision is shown");
        await screenshot(page, "customer-approval-approved");
        assert.strictEqual((await approvalOf(session.rpc, approved.id)).state, "approved");
        assert.deepEqual(page.errors, [], "no error in the browser console");
    });

    QUnit.test("the link holder rejects the time, with a comment", async (assert) => {
        const approval = await approvalOf(session.rpc, rejected.id);
        const url = `${ODOO_URL}${approval.access_url}?access_token=${approval.access_token}`;
        const page = await anonymousPage(session.browser);
        await page.goto(url, { waitUntil: "networkidle0" });
        await page.waitForSelector(".o_case_approval_reject");

        // The browser itself refuses an empty comment…
        await page.click(".o_case_approval_reject button[type=submit]");
        await new Promise((resolve) => setTimeout(resolve, 500));
        assert.strictEqual(page.url(), url, "the form was not sent");
        assert.true(await page.$eval("#reject_comment", (el) => !el.checkValidity()), "the comment is flagged as missing");
        // …and so does the server, for a blank one sent anyway.
        await page.$eval("#reject_comment", (el) => el.removeAttribute("required"));
        await page.type("#reject_comment", "   ");
        await Promise.all([
            page.waitForNavigation({ waitUntil: "networkidle0" }),
            page.click(".o_case_approval_reject button[type=submit]"),
        ]);
        assert.ok((await text(page, ".o_case_approval_error")).includes("a comment is required to reject it"), "the server refuses it");
        assert.strictEqual((await approvalOf(session.rpc, rejected.id)).state, "sent", "nothing changed");
        await screenshot(page, "customer-approval-reject-refused");

        const comment = "We were closed that afternoon: 30 minutes at most.";
        await page.type("#reject_comment", comment);
        await Promise.all([
            page.waitForNavigation({ waitUntil: "networkidle0" }),
            page.click(".o_case_approval_reject button[type=submit]"),
        ]);
        assert.ok((await text(page, ".o_case_approval_message")).includes("the team has your comment"));
        assert.strictEqual(await page.$eval(".o_case_approval_state", (el) => el.dataset.state), "rejected");
        assert.ok((await text(page, ".o_case_approval_decision")).includes(comment), "the comment is shown");
        await screenshot(page, "customer-approval-rejected");
        const after = await approvalOf(session.rpc, rejected.id);
        assert.strictEqual(after.state, "rejected");
        assert.strictEqual(after.comment, comment);
        assert.deepEqual(page.errors, [], "no error in the browser console");
    });

    QUnit.test("a tampered link shows an error and no data", async (assert) => {
        const approval = await approvalOf(session.rpc, rejected.id);
        const page = await anonymousPage(session.browser);
        const response = await page.goto(`${ODOO_URL}${approval.access_url}?access_token=${approval.access_token.slice(0, -4)}beef`, { waitUntil: "networkidle0" });
        assert.strictEqual(response.status(), 404);
        assert.ok((await text(page, ".o_case_approval_link_error")).includes("This approval link is not valid"));
        const body = await text(page, "body");
        assert.false(body.includes("Mail server down"), "no case title");
        assert.false(body.includes(rejected.number), "no case number");
        await screenshot(page, "customer-approval-invalid-link");
    });

    QUnit.test("the cases show the customer's answers", async (assert) => {
        const ok = await ticketStatus(session.rpc, approved.id);
        assert.strictEqual(ok.customer_approval_state, "approved");
        assert.true(ok.is_billable_now, "the approved case is billable");
        assert.false(ok.billing_blockers, "nothing blocks it");
        const ko = await ticketStatus(session.rpc, rejected.id);
        assert.strictEqual(ko.customer_approval_state, "rejected");
        assert.false(ko.is_billable_now);
        assert.strictEqual(ko.billing_blockers, "Rejected by customer: We were closed that afternoon: 30 minutes at most.");
        const billable = await session.rpc.searchRead(
            "helpdesk.ticket",
            [["id", "in", [approved.id, rejected.id]], ["is_billable_now", "=", true]],
            ["id"],
        );
        assert.deepEqual(billable.map((r) => r.id), [approved.id], "the search agrees");

        const page = await session.page();
        await openForm(page, "helpdesk.ticket", rejected.id);
        await page.click(".o_notebook .nav-link[name='case_billing']");
        await page.waitForSelector(".o_field_widget[name='customer_approval_state']");
        assert.strictEqual(await text(page, ".o_field_widget[name='customer_approval_state']"), "Rejected by the customer");
        assert.ok((await text(page, ".o_field_widget[name='billing_blockers']")).includes("Rejected by customer: We were closed"));
        assert.ok(await page.$("button[name='action_request_customer_approval']"), "a new request can be sent");
        assert.ok((await text(page, "button[name='action_view_customer_approvals']")).includes("1"), "one request");
        await screenshot(page, "customer-approval-ticket-rejected");
        assert.deepEqual(page.errors, [], "no error in the browser console");
    });

    QUnit.test("managers list the requests by status, and set the delays", async (assert) => {
        const names = {};
        for (const ticket of [approved, rejected]) {
            names[ticket.id] = (await approvalOf(session.rpc, ticket.id)).name;
        }
        const page = await session.page();
        await page.goto(`${ODOO_URL}/odoo/action-helpdesk_case_billing_approval.action_helpdesk_ticket_approval`, { waitUntil: "domcontentloaded" });
        await page.waitForSelector(".o_list_view");
        assert.ok((await text(page, ".o_searchview_facet")).includes("Waiting for the customer"), "pending requests first");
        await page.click(".o_searchview_facet .o_facet_remove");
        const rowFor = (name) => page.waitForFunction(
            (n) => [...document.querySelectorAll(".o_data_row")].find((tr) => tr.textContent.includes(n)),
            {},
            name,
        );
        const approvedRow = await rowFor(names[approved.id]);
        assert.ok((await approvedRow.evaluate((tr) => tr.textContent)).includes("Approved"));
        const rejectedRow = await rowFor(names[rejected.id]);
        assert.ok((await rejectedRow.evaluate((tr) => tr.textContent)).includes("Rejected"));

        await page.click(".o_searchview_dropdown_toggler");
        const rejectedFilter = await page.waitForFunction(
            () => [...document.querySelectorAll(".o_filter_menu .o-dropdown-item")].find((el) => el.textContent.trim() === "Rejected"),
        );
        await rejectedFilter.click();
        await page.waitForFunction(
            (n) => {
                const rows = [...document.querySelectorAll(".o_data_row")];
                return rows.length && rows.every((tr) => tr.textContent.includes("Rejected")) && rows.some((tr) => tr.textContent.includes(n));
            },
            {},
            names[rejected.id],
        );
        const listed = await page.$$eval(".o_data_row", (trs) => trs.map((tr) => tr.textContent));
        assert.false(listed.some((t) => t.includes(names[approved.id])), "the approved request is filtered out");
        await page.keyboard.press("Escape");
        await page.waitForFunction(() => !document.querySelector(".o_filter_menu"));
        await screenshot(page, "customer-approval-list-rejected");
        const row = await rowFor(names[rejected.id]);
        await row.evaluate((tr) => tr.querySelector("td.o_data_cell").click());
        await page.waitForSelector(".o_form_view .o_field_widget[name='comment']");
        assert.ok((await text(page, ".o_field_widget[name='comment']")).includes("We were closed that afternoon"), "the form shows the comment");
        assert.strictEqual(await text(page, ".o_statusbar_status button.o_arrow_button_current"), "Rejected");
        await screenshot(page, "customer-approval-form-rejected");

        await page.goto(`${ODOO_URL}/odoo/action-helpdesk_mgmt.action_helpdesk_mgmt_config_settings`, { waitUntil: "domcontentloaded" });
        await page.waitForSelector("[name='case_billing_approval_reminder_days'] input");
        assert.strictEqual(await page.$eval("[name='case_billing_approval_expiry_days'] input", (el) => el.value), "30");
        const block = await page.waitForFunction(
            () => [...document.querySelectorAll(".o_settings_container, .o_setting_container, #case_billing_approval, [name='case_billing_approval']")]
                .find((el) => el.textContent.includes("Reminders and expiry")),
        );
        await block.evaluate((el) => el.scrollIntoView({ block: "center" }));
        await screenshot(page, "customer-approval-settings");
        assert.deepEqual(page.errors, [], "no error in the browser console");
    });
});
