// The month-end billing run at scale: 10,000 closed cases of 500 customers
// billed by a billing run in the background of an Odoo with --workers=2,
// side by side with Odoo's standard path for the same work (500 confirmed
// sales orders invoiced with the standard "Create invoice" wizard in batches).
// While the run goes on, a user opens ticket forms: the latency of the form's
// own load request is measured, and the memory of Odoo's processes sampled.
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { OdooRpc } from "../../tests/lib/odoo_rpc.mjs";
import { billingTeam } from "../../tests/browser/lib/fixtures.mjs";
import { billableCases, confirmedOrders, customers } from "./bench_seed.mjs";

/**
 * 25 groups of 20 customers (the customers of one chunk of the run), 13
 * groups with SMALL cases each and 12 with LARGE: 10,000 cases, 20 a
 * customer on average. A group's customers sort together, so each chunk holds
 * one group: chunks of small and of large customers can be compared.
 */
export const RUN_CUSTOMERS = 500;
export const SMALL = 8;
export const LARGE = 33;
/** The month-end run: 10,000 cases of 500 customers, one time line (one invoice line) a case. */
export const RUN_SHAPE = { customers: RUN_CUSTOMERS, small: SMALL, large: LARGE, workTypes: false };
/**
 * Work types in use: 1,000 cases of 80 customers (40 of 5 cases, 40 of 20),
 * each with time of two work types (the team's product and an on-site
 * product at 1.5× its price): two invoice lines a case. Above 50 invoices
 * the preview is built in the background, as for the month-end run, so the
 * cron workers have loaded Odoo before the run starts.
 */
export const WORK_TYPES_SHAPE = { customers: 80, small: 5, large: 20, workTypes: true };
const SEED_BATCH = 20;
const BASELINE_BATCH = 50;
const CHUNK_LINE = /Billing run chunk: (\d+) customers, (\d+) cases in (\d+) queries/;

function median(values) {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function percentile(values, p) {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Seeds, on the threaded server of the rest of the benchmark: a team of its
 * own, the customers, their closed cases and the baseline's confirmed orders
 * (one per customer, one line per case, the same billed hours).
 */
export async function seedBillingRun(rpc, setup, progress, shape = RUN_SHAPE) {
    const { team, project } = await billingTeam(rpc, { case_billing_product_id: setup.product });
    const runSetup = { ...setup, team, project };
    let onSite = null;
    if (shape.workTypes) {
        const [product] = await rpc.searchRead("product.product", [["id", "=", setup.product]], ["list_price", "uom_id"]);
        onSite = await rpc.create("product.product", {
            name: "On-site work (benchmark)", type: "service", invoice_policy: "order",
            uom_id: product.uom_id[0], list_price: product.list_price * 1.5,
        });
    }
    const products = onSite ? [setup.product, onSite] : [setup.product];
    const partners = [];
    const orders = [];
    let cases = 0;
    for (let group = 0; group * SEED_BATCH < shape.customers; group++) {
        const batch = await customers(rpc, SEED_BATCH);
        const perCustomer = group % 2 ? shape.large : shape.small;
        cases += (await billableCases(rpc, runSetup, batch, perCustomer, onSite)).length;
        orders.push(...(await confirmedOrders(rpc, runSetup, batch, perCustomer, products)));
        partners.push(...batch);
        progress(`billing run: seeded ${partners.length} customers, ${cases} cases, ${orders.length} orders`);
    }
    return { team, project, partners, orders, cases, linesPerCase: products.length, shape };
}

/** Resident memory (MB) of `pid` and of every process under it, sampled until stopped. */
function memorySampler(rootPid) {
    const peak = new Map();
    const children = () => {
        const byParent = new Map();
        for (const entry of fs.readdirSync("/proc")) {
            if (!/^\d+$/.test(entry)) {
                continue;
            }
            try {
                const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
                const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
                byParent.set(ppid, [...(byParent.get(ppid) || []), Number(entry)]);
            } catch {
                // the process ended
            }
        }
        const out = [];
        const walk = (pid) => (byParent.get(pid) || []).forEach((child) => out.push(child) && walk(child));
        walk(rootPid);
        return out;
    };
    const sample = () => {
        for (const pid of [rootPid, ...children()]) {
            try {
                const rss = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
                if (rss) {
                    const mb = Number(rss[1]) / 1024;
                    peak.set(pid, Math.max(peak.get(pid) || 0, mb));
                }
            } catch {
                // the process ended
            }
        }
    };
    sample();
    const timer = setInterval(sample, 200);
    return {
        stop() {
            clearInterval(timer);
            sample();
            const workers = [...peak].filter(([pid]) => pid !== rootPid).map(([, mb]) => mb);
            return {
                peakWorkerRssMb: Number(Math.max(0, ...workers).toFixed(1)),
                peakMainRssMb: Number((peak.get(rootPid) || 0).toFixed(1)),
                processes: peak.size,
            };
        },
    };
}

/**
 * The request the ticket form makes to load a record, as the web client sends
 * it: captured once from a real form opened in Chromium.
 */
async function captureFormRequest(page, url, ticketId) {
    let captured = null;
    const onRequest = (request) => {
        if (request.url().includes("/web/dataset/call_kw/helpdesk.ticket/web_read")) {
            captured = JSON.parse(request.postData());
        }
    };
    page.on("request", onRequest);
    await page.goto(`${url}/odoo/helpdesk.ticket/${ticketId}`, { waitUntil: "domcontentloaded" });
    await page.waitForSelector(".o_form_view .o_form_sheet", { timeout: 120_000 });
    page.off("request", onRequest);
    if (!captured) {
        throw new Error("the ticket form sent no web_read");
    }
    return captured.params;
}

/** Opens ticket forms (their load request) one after the other until `done()`. */
async function openFormsUntil(rpc, params, ticketIds, done) {
    const times = [];
    let i = 0;
    while (!done()) {
        const ids = [ticketIds[i++ % ticketIds.length]];
        const t0 = performance.now();
        await rpc.post("/web/dataset/call_kw/helpdesk.ticket/web_read", { ...params, args: [ids, ...params.args.slice(1)] });
        times.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 100));
    }
    return times;
}

/** Reads the run until it leaves the `busy` states. */
async function waitForRun(rpc, runId, timeoutMs, busy = ["running"]) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const [run] = await rpc.searchRead("helpdesk.case.billing.run", [["id", "=", runId]], ["state", "cases_done", "invoice_count"]);
        if (!busy.includes(run.state)) {
            return run;
        }
        if (Date.now() > deadline) {
            throw new Error(`the billing run did not end within ${timeoutMs / 1000} s: ${JSON.stringify(run)}`);
        }
        await new Promise((r) => setTimeout(r, 200));
    }
}

/**
 * Runs the measurement on `server` (an Odoo with --workers=2 and a cron
 * worker, its chunk logger at debug level, writing `watcher`'s log).
 */
export async function measureBillingRun({ server, db, watcher, seed, browser, loggedInPage, progress }) {
    const rpc = new OdooRpc(server.url);
    await rpc.login(db, "admin", "admin");
    const formRpc = new OdooRpc(server.url);
    await formRpc.login(db, "admin", "admin");

    // Open tickets of the same team, which a user works on during the run.
    const openIds = await rpc.call("helpdesk.ticket", "create", [Array.from({ length: 20 }, (_, i) => ({
        name: `Open case ${i + 1}`,
        description: "<p>Still being worked on.</p>",
        team_id: seed.team,
        project_id: seed.project,
        partner_id: seed.partners[i],
    }))]);
    const page = await loggedInPage(browser);
    const formParams = await captureFormRequest(page, server.url, openIds[0]);
    await page.close();
    // Warm the workers: a few forms before anything is measured.
    await openFormsUntil(formRpc, formParams, openIds, ((n) => () => n-- <= 0)(6));

    const [runId] = await rpc.call("helpdesk.case.billing.run", "create", [[{
        team_ids: [[6, 0, [seed.team]]],
        closed_until: new Date().toISOString().slice(0, 10),
    }]]);
    // Above 50 invoices the preview is built in the background: until it is ready.
    let t0 = performance.now();
    await rpc.call("helpdesk.case.billing.run", "action_preview", [[runId]]);
    const previewRequestMs = performance.now() - t0;
    const preview = await waitForRun(rpc, runId, 30 * 60_000, ["previewing"]);
    const previewMs = performance.now() - t0;
    if (preview.state !== "previewed") {
        throw new Error(`the preview ended ${preview.state}`);
    }
    const [previewed] = await rpc.searchRead("helpdesk.case.billing.run", [["id", "=", runId]], ["state", "customer_count", "case_count", "amount_untaxed"]);
    if (previewed.case_count !== seed.cases || previewed.customer_count !== seed.partners.length) {
        throw new Error(`the preview holds ${previewed.case_count} cases of ${previewed.customer_count} customers, ` +
            `${seed.cases} of ${seed.partners.length} expected`);
    }
    progress(`billing run: preview of ${previewed.case_count} cases in ${previewMs.toFixed(0)} ms`);

    const logOffset = watcher.offset();
    const memory = memorySampler(server.process.pid);
    let ended = false;
    t0 = performance.now();
    await rpc.call("helpdesk.case.billing.run", "action_start", [[runId]]);
    const forms = openFormsUntil(formRpc, formParams, openIds, () => ended);
    let run;
    try {
        run = await waitForRun(rpc, runId, 30 * 60_000);
    } finally {
        ended = true;
    }
    const ms = performance.now() - t0;
    const formTimes = await forms;
    const rss = memory.stop();
    progress(`billing run: ${run.state} in ${ms.toFixed(0)} ms, ${run.invoice_count} invoices, ${formTimes.length} forms opened meanwhile`);
    if (run.state !== "done" || run.invoice_count !== seed.partners.length) {
        throw new Error(`the billing run ended ${run.state} with ${run.invoice_count} invoices, ${seed.partners.length} expected`);
    }
    // Every case billed once, one invoice per customer, as the preview said.
    const lines = await rpc.searchRead("account.move.line", [["helpdesk_ticket_id.team_id", "=", seed.team], ["move_id.move_type", "=", "out_invoice"]], ["helpdesk_ticket_id", "move_id"]);
    const billedCases = new Set(lines.map((l) => l.helpdesk_ticket_id[0])).size;
    const billedInvoices = new Set(lines.map((l) => l.move_id[0])).size;
    const [done] = await rpc.searchRead("helpdesk.case.billing.run", [["id", "=", runId]], ["amount_untaxed", "date_start", "date_end"]);
    if (lines.length !== seed.cases * seed.linesPerCase || billedCases !== seed.cases || billedInvoices !== seed.partners.length) {
        throw new Error(`after the run: ${lines.length} lines for ${billedCases} cases on ${billedInvoices} invoices, ` +
            `${seed.cases * seed.linesPerCase} lines for ${seed.cases} cases on ${seed.partners.length} invoices expected`);
    }
    if (Math.abs(done.amount_untaxed - previewed.amount_untaxed) > 0.001) {
        throw new Error(`the run invoiced ${done.amount_untaxed}, its preview said ${previewed.amount_untaxed}`);
    }

    // The run's chunks only: the preview's come before the run starts.
    const chunks = watcher.readFrom(logOffset).split("\n").map((l) => CHUNK_LINE.exec(l)).filter(Boolean)
        .map((m) => ({ customers: Number(m[1]), cases: Number(m[2]), queries: Number(m[3]) }))
        .map((c) => ({ ...c, perCustomer: c.queries / c.customers, casesPerCustomer: c.cases / c.customers }));
    const queriesOf = (cases) => chunks.filter((c) => c.casesPerCustomer === cases).map((c) => c.perCustomer);

    // The standard path: the same hours on confirmed orders, the wizard on BASELINE_BATCH orders a call.
    const baselineStart = watcher.offset();
    t0 = performance.now();
    for (let start = 0; start < seed.orders.length; start += BASELINE_BATCH) {
        const batch = seed.orders.slice(start, start + BASELINE_BATCH);
        const context = { active_model: "sale.order", active_ids: batch, active_id: batch[0] };
        const [wizard] = await rpc.call("sale.advance.payment.inv", "create", [[{ advance_payment_method: "delivered" }]], { context });
        await rpc.call("sale.advance.payment.inv", "create_invoices", [[wizard]], { context });
    }
    const baselineMs = performance.now() - t0;
    const notInvoiced = await rpc.call("sale.order", "search_count", [[["id", "in", seed.orders], ["invoice_status", "!=", "invoiced"]]]);
    if (notInvoiced) {
        throw new Error(`the baseline left ${notInvoiced} sales orders not invoiced`);
    }
    const baselineQueries = watcher.requestsSince(baselineStart).filter((r) => r.route.includes("sale.advance.payment.inv/create_invoices"))
        .reduce((sum, r) => sum + r.queries, 0);
    progress(`billing run baseline: ${seed.orders.length} orders invoiced in ${baselineMs.toFixed(0)} ms`);

    return {
        cases: seed.cases,
        customers: seed.partners.length,
        ms: Math.round(ms),
        baselineMs: Math.round(baselineMs),
        ratio: Number((ms / baselineMs).toFixed(3)),
        p95FormMs: Number(percentile(formTimes, 95).toFixed(1)),
        queriesPerCustomer: median(chunks.map((c) => c.perCustomer)),
        peakRssMb: rss.peakWorkerRssMb,
        detail: {
            previewMs: Math.round(previewMs),
            previewRequestMs: Math.round(previewRequestMs),
            serverSeconds: (Date.parse(`${done.date_end}Z`) - Date.parse(`${done.date_start}Z`)) / 1000,
            invoices: run.invoice_count,
            amountUntaxed: done.amount_untaxed,
            formsOpened: formTimes.length,
            medianFormMs: Number(median(formTimes).toFixed(1)),
            maxFormMs: Number(Math.max(...formTimes).toFixed(1)),
            chunksLogged: chunks.length,
            queriesPerCustomerByCases: {
                [seed.shape.small]: median(queriesOf(seed.shape.small)), [seed.shape.large]: median(queriesOf(seed.shape.large)),
            },
            invoiceLinesPerCase: seed.linesPerCase,
            queriesPerCustomerMax: Math.max(...chunks.map((c) => c.perCustomer)),
            chunks: chunks.length,
            customersPerChunk: median(chunks.map((c) => c.customers)),
            baselineQueriesPerCustomer: Math.round(baselineQueries / seed.orders.length),
            baselineBatch: BASELINE_BATCH,
            peakMainRssMb: rss.peakMainRssMb,
            processesSampled: rss.processes,
        },
    };
}
