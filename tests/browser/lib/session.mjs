// Shared set-up of the browser tests: the Odoo under test, JSON-RPC for
// fixtures, and a Chromium driven by puppeteer-core.
import fs from "node:fs";
import path from "node:path";
import puppeteer from "puppeteer-core";
import { OdooRpc } from "../../lib/odoo_rpc.mjs";

export const ODOO_URL = process.env.HCB_URL;
export const ODOO_DB = process.env.HCB_DB;
export const screenshotDir = path.resolve(process.env.HCB_SCREENSHOTS || "tests/output/screenshots");

if (!ODOO_URL || !ODOO_DB) {
    throw new Error("Browser tests need HCB_URL and HCB_DB: run them through `npm test`.");
}

const CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--lang=en-US",
];

export async function adminRpc() {
    const rpc = new OdooRpc(ODOO_URL);
    await rpc.login(ODOO_DB, "admin", "admin");
    return rpc;
}

export async function launchBrowser() {
    return puppeteer.launch({
        executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
        headless: true,
        args: CHROMIUM_FLAGS,
        defaultViewport: { width: 1440, height: 900 },
    });
}

/** A page logged in as `login`; browser errors fail the test that reads `page.errors`. */
export async function loggedInPage(browser, login = "admin", password = "admin") {
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
    // The first page of a fresh database compiles its asset bundles: allow for it.
    page.setDefaultNavigationTimeout(180_000);
    // Wait for the login page's own scripts, which otherwise swallow an early submit.
    await page.goto(`${ODOO_URL}/web/login?db=${encodeURIComponent(ODOO_DB)}`, { waitUntil: "networkidle0" });
    await page.type("input[name=login]", login);
    await page.type("input[name=password]", password);
    await Promise.all([page.waitForNavigation({ waitUntil: "domcontentloaded" }), page.click("form.oe_login_form button[type=submit]")]);
    await page.waitForSelector(".o_web_client", { timeout: 60_000 });
    return page;
}

/** Opens a record's form through the URL router and waits until it is rendered. */
export async function openForm(page, model, id) {
    await page.goto(`${ODOO_URL}/odoo/${model}/${id}`, { waitUntil: "domcontentloaded" });
    await page.waitForSelector(".o_form_view .o_form_sheet", { timeout: 60_000 });
}

export async function screenshot(page, name) {
    fs.mkdirSync(screenshotDir, { recursive: true });
    const file = path.join(screenshotDir, `${name}.png`);
    await page.screenshot({ path: file, fullPage: false });
    return file;
}

/**
 * The shared before/after of a browser test module: one Chromium and one
 * administrator JSON-RPC client for the module's tests, closed after them.
 * `setUp(rpc)` seeds the module's fixtures once, after both are ready.
 */
export function useBrowserSession(hooks, setUp) {
    const session = {
        browser: null,
        rpc: null,
        /** A page logged in as `login` (the administrator by default). */
        page: (login, password) => loggedInPage(session.browser, login, password),
    };
    hooks.before(async () => {
        session.browser = await launchBrowser();
        session.rpc = await adminRpc();
        await setUp?.(session.rpc);
    });
    hooks.after(async () => {
        await session.browser?.close();
    });
    return session;
}
