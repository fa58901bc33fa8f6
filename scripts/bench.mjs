// `npm run bench`: benchmarks of case billing against a throwaway real host.
// Writes bench/results/bench.json, bench.md and bench.png.
//   BENCH_SIZES=10,100   numbers of cases (default 10,100,1000,5000)
//   BENCH_REPEATS=3      runs of each server measurement (median reported, at least 3)
//   BENCH_PARTS=billingRun   only the billing run at scale, merged into the
//                        committed bench.json (default: every part)
//   BENCH_PARTS=workTypes    only the billing run of 1,000 cases with two work
//                        types each, merged likewise
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
    HostError, OUR_MODULES, dropDatabase, gitVersion, prepareHost, repoRoot, runOdoo, startOdooServer,
} from "./lib/host.mjs";
import { OdooRpc } from "../tests/lib/odoo_rpc.mjs";
import { LogWatcher, measuredCall, summarise } from "./lib/bench_server.mjs";
import {
    BILLED_HOURS_PER_CASE, CASE_MINUTES, benchSetup, billableCases, confirmedOrders, customers, newDraftInvoice,
} from "./lib/bench_seed.mjs";
import { measureLoadAndAdd, measureRemainingHours, watchRequests } from "./lib/bench_browser.mjs";
import { chartHtml, evaluateTargets, markdown, ratio, renderChart } from "./lib/bench_report.mjs";
import { RUN_SHAPE, WORK_TYPES_SHAPE, measureBillingRun, seedBillingRun } from "./lib/bench_billing_run.mjs";

const SIZES = (process.env.BENCH_SIZES || "10,100,1000,5000").split(",").map((s) => Number(s.trim())).filter((n) => n > 0);
const REPEATS = Math.max(3, Number(process.env.BENCH_REPEATS || 3));
const MULTI_CUSTOMERS = 50;
const MULTI_CASES = 20;
const ONLY_PART = ["billingRun", "workTypes"].find((part) => part === (process.env.BENCH_PARTS || "").trim());
const RUN_SHAPES = { billingRun: RUN_SHAPE, workTypes: WORK_TYPES_SHAPE };
const resultsDir = path.join(repoRoot, "bench/results");
const workDir = path.join(repoRoot, "bench/tmp");
const cleanups = [];
const started = Date.now();

function progress(message) {
    const s = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
    process.stderr.write(`[bench ${s}s] ${message}\n`);
}

function sh(cmd, args) {
    try {
        return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
        return "";
    }
}

async function machineInfo(rpc) {
    const cpuinfo = fs.readFileSync("/proc/cpuinfo", "utf8");
    const version = await rpc.post("/web/webclient/version_info", {});
    return {
        nproc: Number(sh("nproc", [])) || os.cpus().length,
        cpuModel: (/^model name\s*:\s*(.+)$/m.exec(cpuinfo) || [])[1] || "unknown",
        memoryGb: Math.round(os.totalmem() / 2 ** 30),
        kernel: os.release(),
        node: process.version,
        odooVersion: version.server_version,
        odooVersionInfo: version.server_version_info,
        postgres: `PostgreSQL ${sh("psql", ["-d", "postgres", "-tAc", "show server_version"]).split(" ")[0]}`,
        gitCommit: gitVersion(),
        gitDirty: sh("git", ["-C", repoRoot, "status", "--porcelain", "--untracked-files=no"]).length > 0,
        chromium: null,
        // Other work on the machine slows the measured calls: the 1-minute load average around the run.
        loadAverageStart: Number(os.loadavg()[0].toFixed(2)),
    };
}

/** Ours: N cases of one customer added to a fresh draft invoice in one call. */
async function oursAdd(ctx, n) {
    const { rpc, watcher, setup } = ctx;
    const [partner] = await customers(rpc, 1);
    const ids = await billableCases(rpc, setup, [partner], n);
    const invoice = await newDraftInvoice(rpc, partner);
    const call = await measuredCall(rpc, watcher, "account.move", "action_add_helpdesk_cases", [[invoice], ids]);
    if (call.result.case_count !== n || call.result.line_ids.length !== n) {
        throw new Error(`action_add_helpdesk_cases added ${call.result.case_count} cases, ${n} expected`);
    }
    return { ms: call.ms, queries: call.queries, sqlMs: call.sqlMs, serverMs: call.serverMs };
}

/** Baseline: the standard "Create invoice" wizard on confirmed sales orders (its create + create_invoices). */
async function invoiceOrders(ctx, orders) {
    const { rpc, watcher } = ctx;
    const context = { active_model: "sale.order", active_ids: orders, active_id: orders[0] };
    const wizard = await measuredCall(rpc, watcher, "sale.advance.payment.inv", "create", [{ advance_payment_method: "delivered" }], { context });
    const invoice = await measuredCall(rpc, watcher, "sale.advance.payment.inv", "create_invoices", [[wizard.result]], { context });
    const rows = await rpc.searchRead("sale.order", [["id", "in", orders]], ["invoice_ids", "invoice_status"]);
    const notInvoiced = rows.filter((r) => r.invoice_status !== "invoiced");
    if (notInvoiced.length) {
        throw new Error(`the baseline left ${notInvoiced.length} sales orders not invoiced`);
    }
    return {
        ms: wizard.ms + invoice.ms,
        queries: wizard.queries + invoice.queries,
        sqlMs: wizard.sqlMs + invoice.sqlMs,
        serverMs: wizard.serverMs + invoice.serverMs,
        invoices: new Set(rows.flatMap((r) => r.invoice_ids)).size,
        wizardCreate: { ms: wizard.ms, queries: wizard.queries },
        createInvoices: { ms: invoice.ms, queries: invoice.queries },
    };
}

async function baselineAdd(ctx, n) {
    const [partner] = await customers(ctx.rpc, 1);
    const orders = await confirmedOrders(ctx.rpc, ctx.setup, [partner], n);
    return invoiceOrders(ctx, orders);
}

async function oursMulti(ctx, nCustomers, perCustomer) {
    const { rpc, watcher, setup } = ctx;
    const partners = await customers(rpc, nCustomers);
    const ids = await billableCases(rpc, setup, partners, perCustomer);
    const call = await measuredCall(rpc, watcher, "helpdesk.ticket", "action_create_invoices", [ids]);
    const rows = await rpc.searchRead("helpdesk.ticket", [["id", "in", ids]], ["invoice_id"]);
    const invoices = new Set(rows.map((r) => r.invoice_id && r.invoice_id[0]));
    if (invoices.has(false)) {
        throw new Error("action_create_invoices left cases without an invoice");
    }
    return { ms: call.ms, queries: call.queries, sqlMs: call.sqlMs, serverMs: call.serverMs, invoices: invoices.size };
}

async function baselineMulti(ctx, nCustomers, perCustomer) {
    const partners = await customers(ctx.rpc, nCustomers);
    const orders = await confirmedOrders(ctx.rpc, ctx.setup, partners, perCustomer);
    return invoiceOrders(ctx, orders);
}

async function serverBench(ctx) {
    progress("warm-up runs (not recorded)");
    await oursAdd(ctx, 5);
    await baselineAdd(ctx, 5);
    await oursMulti(ctx, 2, 2);
    await baselineMulti(ctx, 2, 2);

    const addCases = [];
    for (const n of SIZES) {
        const ours = [];
        const baseline = [];
        for (let r = 1; r <= REPEATS; r++) {
            ours.push(await oursAdd(ctx, n));
            baseline.push(await baselineAdd(ctx, n));
            progress(`N=${n} run ${r}/${REPEATS}: ours ${ours.at(-1).ms.toFixed(0)} ms / ${ours.at(-1).queries} queries, ` +
                `baseline ${baseline.at(-1).ms.toFixed(0)} ms / ${baseline.at(-1).queries} queries`);
        }
        const o = summarise(ours);
        const b = summarise(baseline);
        addCases.push({ n, ours: o, baseline: b, ratio: { time: ratio(o.ms, b.ms), queries: ratio(o.queries, b.queries) } });
    }

    const ours = [];
    const baseline = [];
    for (let r = 1; r <= REPEATS; r++) {
        ours.push(await oursMulti(ctx, MULTI_CUSTOMERS, MULTI_CASES));
        baseline.push(await baselineMulti(ctx, MULTI_CUSTOMERS, MULTI_CASES));
        progress(`${MULTI_CUSTOMERS} customers × ${MULTI_CASES} cases run ${r}/${REPEATS}: ours ${ours.at(-1).ms.toFixed(0)} ms / ` +
            `${ours.at(-1).queries} queries, baseline ${baseline.at(-1).ms.toFixed(0)} ms / ${baseline.at(-1).queries} queries`);
    }
    const o = { ...summarise(ours), invoices: ours[0].invoices };
    const b = { ...summarise(baseline), invoices: baseline[0].invoices };
    const createInvoices = {
        customers: MULTI_CUSTOMERS, casesPerCustomer: MULTI_CASES, ours: o, baseline: b,
        ratio: { time: ratio(o.ms, b.ms), queries: ratio(o.queries, b.queries) },
    };
    return { addCases, createInvoices };
}

async function browserBench(ctx, session) {
    const browser = await session.launchBrowser();
    cleanups.push(() => browser.close());
    ctx.browser = browser;
    const chromium = await browser.version();
    const page = await session.loggedInPage(browser);
    const requests = watchRequests(page);
    const sizes = [];
    for (const n of SIZES) {
        try {
            const [partner] = await customers(ctx.rpc, 1);
            await billableCases(ctx.rpc, ctx.setup, [partner], n);
            const invoice = await newDraftInvoice(ctx.rpc, partner);
            const timeoutMs = 60_000 + n * 60;
            const figures = await measureLoadAndAdd(page, requests, ctx.watcher, { url: ctx.url, invoice, count: n, timeoutMs });
            sizes.push({ n, ...figures });
            progress(`browser N=${n}: grid ${figures.load.ms.toFixed(0)} ms (${figures.load.rpcCalls} RPC), ` +
                `add ${figures.add.ms.toFixed(0)} ms (${figures.add.rpcCalls} RPC + ${figures.add.reloadCalls} reload)`);
        } catch (error) {
            progress(`browser N=${n} failed: ${error.message}`);
            sizes.push({ n, error: error.message });
        }
    }
    let remainingHours;
    try {
        remainingHours = await measureRemainingHours(page, ctx.rpc, { url: ctx.url, setup: ctx.setup, requests });
    } catch (error) {
        remainingHours = { measured: false, reason: `the measurement failed: ${error.message}` };
    }
    progress(remainingHours.measured ? `remaining hours: ${remainingHours.ms.toFixed(0)} ms per edit` : `remaining hours not measured: ${remainingHours.reason}`);
    return { chromium, sizes, pageErrors: page.errors.slice(0, 20), remainingHours };
}

/**
 * The billing run at scale: seeded on the threaded server, measured on an
 * Odoo with --workers=2 and its default two cron workers started in its
 * place, on the same port and database.
 */
async function billingRunBench(ctx, trees, db, threaded, shape = RUN_SHAPE) {
    try {
        progress(`billing run: seeding the cases of ${shape.customers} customers${shape.workTypes ? ", two work types a case" : ""}, ` +
            "and the baseline's sales orders");
        const seed = await seedBillingRun(ctx.rpc, ctx.setup, progress, shape);
        await threaded.stop();
        // The tables grew from nothing: refresh PostgreSQL's statistics, as
        // autovacuum does on a live database, before anything is measured.
        execFileSync("psql", ["-d", db, "-qc", "ANALYZE"]);
        const logFile = path.join(workDir, "odoo-workers.log");
        const server = await startOdooServer(trees, db, {
            port: threaded.port,
            logFile,
            extra: [
                "--workers=2",
                // Odoo's default: two cron threads, each running one of the
                // run's two scheduled actions, side by side.
                "--max-cron-threads=2",
                "--log-handler=odoo.addons.helpdesk_case_billing.models.helpdesk_case_billing_run:DEBUG",
            ],
        });
        cleanups.push(() => server.stop());
        ctx.workersServer = server;
        progress(`billing run: Odoo with 2 workers and 2 cron workers at ${server.url}, log ${path.relative(repoRoot, logFile)}`);
        const session = await import("../tests/browser/lib/session.mjs");
        if (!ctx.browser) {
            ctx.browser = await session.launchBrowser();
            cleanups.push(() => ctx.browser.close());
        }
        return await measureBillingRun({
            server, db, watcher: new LogWatcher(logFile), seed, browser: ctx.browser, loggedInPage: session.loggedInPage, progress,
        });
    } catch (error) {
        progress(`billing run failed: ${error.stack || error}`);
        return { error: error.message };
    }
}

async function main() {
    fs.mkdirSync(resultsDir, { recursive: true });
    fs.mkdirSync(workDir, { recursive: true });
    progress(`sizes ${SIZES.join(", ")}, ${REPEATS} runs each`);
    const trees = prepareHost();
    const db = `hcb_bench_${process.pid}`;
    dropDatabase(db);
    cleanups.push(() => dropDatabase(db));
    progress(`installing ${OUR_MODULES.join(", ")} into the throwaway database ${db}`);
    const install = await runOdoo(trees, db, ["-i", OUR_MODULES.join(","), "--http-port=0"], { logFile: path.join(workDir, "install.log") });
    if (install.code !== 0) {
        throw new HostError(`Installing ${OUR_MODULES.join(", ")} failed (exit ${install.code}): read bench/tmp/install.log, fix the cause and run npm run bench again.`);
    }
    const logFile = path.join(workDir, "odoo.log");
    const server = await startOdooServer(trees, db, { logFile });
    cleanups.push(() => server.stop());
    progress(`Odoo at ${server.url}, log ${path.relative(repoRoot, logFile)}`);

    const rpc = new OdooRpc(server.url);
    await rpc.login(db, "admin", "admin");
    const ctx = { rpc, url: server.url, watcher: new LogWatcher(logFile), setup: await benchSetup(rpc) };
    const machine = await machineInfo(rpc);

    process.env.HCB_URL = server.url;
    process.env.HCB_DB = db;
    process.env.HCB_SCREENSHOTS = workDir;
    let results;
    if (ONLY_PART) {
        const file = path.join(resultsDir, "bench.json");
        if (!fs.existsSync(file)) {
            throw new HostError(`BENCH_PARTS=${ONLY_PART} adds to bench/results/bench.json, which is missing: run npm run bench first.`);
        }
        results = JSON.parse(fs.readFileSync(file, "utf8"));
        results[ONLY_PART] = await billingRunBench(ctx, trees, db, server, RUN_SHAPES[ONLY_PART]);
        results[ONLY_PART].measuredAt = new Date().toISOString().replace(/\.\d+Z$/, "Z");
        results[ONLY_PART].gitCommit = machine.gitCommit;
        results.targets = evaluateTargets(results);
        fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
        fs.writeFileSync(path.join(resultsDir, "bench.md"), `${markdown(results)}\n`);
        process.stdout.write(`${markdown(results)}\n`);
        progress(`done: ${ONLY_PART} written into bench/results/bench.json and bench.md`);
        return !results[ONLY_PART].error;
    }

    const server_ = await serverBench(ctx);

    progress("browser measurements");
    let browser;
    try {
        const session = await import("../tests/browser/lib/session.mjs");
        browser = await browserBench(ctx, session);
        machine.chromium = browser.chromium;
    } catch (error) {
        progress(`browser measurements failed: ${error.stack || error}`);
        browser = { error: error.message, remainingHours: { measured: false, reason: `the browser run failed: ${error.message}` } };
    }

    const billingRun = await billingRunBench(ctx, trees, db, server);
    // Seeded on the Odoo of the billing run, restarted for the measurement.
    const workTypes = await billingRunBench(ctx, trees, db, ctx.workersServer || server, WORK_TYPES_SHAPE);

    results = {
        generatedAt: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
        machine,
        config: {
            sizes: SIZES, repeats: REPEATS, multiCustomers: MULTI_CUSTOMERS, casesPerCustomer: MULTI_CASES,
            caseMinutes: CASE_MINUTES, billedHoursPerCase: BILLED_HOURS_PER_CASE,
        },
        server: server_,
        browser: { chromium: browser.chromium, sizes: browser.sizes, error: browser.error, pageErrors: browser.pageErrors },
        remainingHours: browser.remainingHours,
        billingRun,
        workTypes,
        notes: [
            "Data is seeded in batches (one create of N cases, one of N timesheet lines, one write of the stage) " +
                "with mail tracking off; the measured calls run with the default context of an administrator.",
            "Before the recorded runs, one small warm-up run of each path fills Odoo's caches; it is not recorded.",
            "Times are wall-clock on a shared machine: expect some noise between runs; query counts are exact.",
            "Ours creates the case lines with the amounts Odoo computes once per product and quantity " +
                "(account.move._add_case_line_amounts), so the invoice's synchronisation does not write each line " +
                "again; the baseline's lines go through that synchronisation line by line.",
            "The billing run is measured last, on an Odoo with --workers=2 and its default two cron workers " +
                "(--max-cron-threads=2), each running one of the run's two scheduled actions, started on the same " +
                "database after the other parts, which run on a threaded Odoo. Its data is seeded, then PostgreSQL's " +
                "statistics are refreshed (ANALYZE), as autovacuum keeps them on a live database: planned with the " +
                "statistics of tables that were empty, single chunks of the run took up to a minute.",
        ],
    };
    results.machine.loadAverageEnd = Number(os.loadavg()[0].toFixed(2));
    results.targets = evaluateTargets(results);
    results.durationSeconds = Math.round((Date.now() - started) / 1000);

    fs.writeFileSync(path.join(resultsDir, "bench.json"), `${JSON.stringify(results, null, 2)}\n`);
    fs.writeFileSync(path.join(resultsDir, "bench.md"), `${markdown(results)}\n`);
    const html = chartHtml(results);
    fs.writeFileSync(path.join(workDir, "chart.html"), html);
    let chartBrowser = ctx.browser;
    if (!chartBrowser) {
        const session = await import("../tests/browser/lib/session.mjs");
        chartBrowser = await session.launchBrowser();
        cleanups.push(() => chartBrowser.close());
    }
    await renderChart(chartBrowser, html, path.join(resultsDir, "bench.png"));
    process.stdout.write(`${markdown(results)}\n`);
    progress(`done in ${results.durationSeconds} s: bench/results/bench.json, bench.md, bench.png`);
    return true;
}

async function cleanup() {
    while (cleanups.length) {
        try {
            await cleanups.pop()();
        } catch {
            // keep cleaning the rest
        }
    }
}

let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, async () => {
        if (interrupted) {
            return;
        }
        interrupted = true;
        progress(`${signal}: stopping Odoo and dropping the database`);
        await cleanup();
        process.exit(130);
    });
}

let ok = false;
try {
    ok = await main();
} catch (error) {
    // After Ctrl-C the calls under way fail as Odoo stops: nothing to report.
    if (interrupted) {
        await new Promise(() => {});
    }
    process.stderr.write(error instanceof HostError ? `\nThe benchmark host is not available:\n${error.message}\n` : `\n${error.stack || error}\n`);
} finally {
    await cleanup();
}
process.exit(ok ? 0 : 1);
