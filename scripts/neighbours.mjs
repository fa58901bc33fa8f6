// `npm run test:neighbours`: the host's own tests of the modules the addon
// extends, on a database without the addon and on one with it (our four
// modules); fails when a test that passes without the addon fails, errors or
// does not run with it.
// Accepted differences are read from the README's "Compatibility" section.
//
// The tests run on the installed databases without -u (odoo-bin --test-enable
// --test-tags … --stop-after-init): Odoo then runs each module's at_install
// tests while it loads the modules, before the modules that come after it
// (the addon among them) are in the registry, and the post_install tests once
// all are loaded. A NOT NULL column the addon adds to another module's table
// breaks the first kind. (An upgrade, -u, would hide that: re-initialising a
// table drops the NOT NULL of the columns the registry does not know yet.)
import fs from "node:fs";
import path from "node:path";
import {
    BASE_MODULES, HostError, OUR_MODULES, copyDatabase, dropDatabase, prepareHost, registerCleanups, repoRoot, reportFailure,
    runOdoo, stopOdooProcesses,
} from "./lib/host.mjs";

const MODULES = OUR_MODULES.join(",");
/**
 * The host modules of both databases: what the core needs, and what our
 * quotations (sale_management) and prepaid hours (sale_timesheet) add; the
 * portal of the customer approval comes with account.
 */
const HOST_MODULES = [...BASE_MODULES, "sale_management", "sale_timesheet"];
/**
 * The chosen host tests (Odoo --test-tags), all of hr_timesheet and
 * helpdesk_mgmt, and what of sale_timesheet and
 * account goes through the code the addon overrides. The full sale_timesheet
 * suite (two minutes per database on 2 cores) and the full
 * TestAccountMoveOutInvoiceOnchanges (90 tests, over a minute) would make the
 * step three times longer: `--full` runs them.
 */
const INVOICE_TESTS = [
    // Invoice lines created, written and changed (the addon's line create/write/unlink).
    "test_out_invoice_create_1", "test_out_invoice_create_child_partner", "test_out_invoice_write_1",
    "test_out_invoice_write_2", "test_out_invoice_line_onchange_product_1", "test_out_invoice_line_onchange_partner_1",
    "test_out_invoice_line_onchange_business_fields_1", "test_out_invoice_line_onchange_taxes_1",
    "test_out_invoice_line_onchange_analytic", "test_out_invoice_line_onchange_cash_rounding_1",
    "test_out_invoice_line_onchange_currency_1", "test_account_on_invoice_line_product_removal",
    "test_on_quick_encoding_non_accounting_lines", "test_quick_edit_total_amount",
    // Posting, copying, refunds and reversals (the addon follows the invoice's state and its credit notes).
    "test_out_invoice_post_1", "test_out_invoice_post_2", "test_invoice_mass_posting",
    "test_post_valid_invoices_when_auto_post", "test_out_invoice_copy_custom_date", "test_invoice_copy_data",
    "test_out_invoice_create_refund", "test_out_invoice_create_refund_auto_post", "test_out_invoice_switch_out_refund_1",
    "test_out_invoice_reverse_move_tags", "test_out_invoice_create_cross_branch_refund",
    // Several companies (the addon's company fields).
    "test_out_invoice_multi_company",
];
const NEIGHBOUR_TAGS = [
    "/hr_timesheet",
    "/helpdesk_mgmt",
    // Timesheets on sales order lines, their invoicing and the remaining-hours warnings.
    "/sale_timesheet:TestSaleTimesheet",
    "/sale_timesheet:TestSoLineDeterminedInTimesheet",
    "/sale_timesheet:TestUpsellWarning",
    ...INVOICE_TESTS.map((test) => `/account:TestAccountMoveOutInvoiceOnchanges.${test}`),
    "/account:TestAccountMoveOutRefundOnchanges",
];
const FULL_TAGS = [
    "/hr_timesheet", "/helpdesk_mgmt", "/sale_timesheet",
    "/account:TestAccountMoveOutInvoiceOnchanges", "/account:TestAccountMoveOutRefundOnchanges",
];
const full = process.argv.includes("--full");
const TAGS = full ? FULL_TAGS : NEIGHBOUR_TAGS;

const logDir = path.join(repoRoot, ".cache/test-logs");
const cleanups = [];

function heading(title) {
    process.stdout.write(`\n== ${title}\n`);
}

function seconds(t0) {
    return `${Math.round((Date.now() - t0) / 1000)} s`;
}

const LOG_RECORD = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (\w+) \S+ (\S+): (.*)$/;

/** The line of a traceback that says what went wrong ("psycopg2.errors.NotNullViolation: null value…"). */
function errorLine(traceback) {
    const lines = traceback.map((l) => l.trim()).filter(Boolean);
    const line = [...lines].reverse().find((l) => /^[\w.]*(Error|Exception|Violation|Failure)\b[^:]*:/.test(l)) || lines.at(-1) || "";
    return line.length > 240 ? `${line.slice(0, 240)}…` : line;
}

/**
 * Reads an Odoo test log: every test that started, with its outcome
 * ("passed", "failed", "error", "skipped") and the line of its error that
 * says what went wrong.
 * Test ids are `module:Class.method`, as in --test-tags.
 */
function parseTestLog(text) {
    const tests = new Map();
    const lines = text.split("\n");
    const moduleOf = (logger) => /^odoo\.addons\.(\w+)\./.exec(logger)?.[1];
    for (let i = 0; i < lines.length; i++) {
        const record = LOG_RECORD.exec(lines[i]);
        if (!record) {
            continue;
        }
        const [, level, logger, message] = record;
        let match;
        if (level === "INFO" && (match = /^Starting (\w+)\.(\w+) \.\.\./.exec(message)) && moduleOf(logger)) {
            const id = `${moduleOf(logger)}:${match[1]}.${match[2]}`;
            if (!tests.has(id)) {
                tests.set(id, { status: "passed", reason: "" });
            }
        } else if (level === "INFO" && (match = /^skipped (\w+)\.(\w+) : (.*)/.exec(message)) && moduleOf(logger)) {
            tests.set(`${moduleOf(logger)}:${match[1]}.${match[2]}`, { status: "skipped", reason: match[3] });
        } else if (level === "ERROR" && (match = /^(FAIL|ERROR): (.*)$/.exec(message))) {
            // The traceback follows until the next log record; its last line says what went wrong.
            let j = i + 1;
            while (j < lines.length && !LOG_RECORD.test(lines[j])) {
                j++;
            }
            const reason = errorLine(lines.slice(i + 1, j));
            const status = match[1] === "FAIL" ? "failed" : "error";
            const what = match[2];
            let one;
            let setup;
            if ((one = /^(?:Subtest )?(\w+)\.(\w+)/.exec(what)) && moduleOf(logger)) {
                tests.set(`${moduleOf(logger)}:${one[1]}.${one[2]}`, { status, reason });
            } else if ((setup = /^setUpClass \(odoo\.addons\.(\w+)\.[\w.]*\.(\w+)\)/.exec(what))) {
                // The class did not set up: none of its tests ran.
                tests.set(`${setup[1]}:${setup[2]}.setUpClass`, { status, reason, wholeClass: true });
            }
        }
    }
    return tests;
}

/**
 * The accepted differences: the `module:Class.method` items, each with its
 * reason, of "### Accepted differences" in the README's "## Compatibility".
 */
function acceptedDifferences(readme) {
    const section = /^## Compatibility\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme);
    const list = section && /^### Accepted differences\n([\s\S]*?)(?=^##|(?![\s\S]))/m.exec(section[1]);
    if (!list) {
        throw new HostError(
            "The README has no \"### Accepted differences\" list under \"## Compatibility\": add it (it may say none).",
        );
    }
    const accepted = new Map();
    for (const line of list[1].split("\n")) {
        const item = /^\s*[-*] `(\w+:\w+\.\w+)`\s*[—:-]+\s*(.+)$/.exec(line);
        if (item) {
            accepted.set(item[1], item[2].trim());
        }
    }
    return accepted;
}

function counts(tests) {
    const c = { run: 0, passed: 0, failed: 0, error: 0, skipped: 0 };
    for (const [id, t] of tests) {
        if (id.endsWith(".setUpClass")) {
            c.error++;
            continue;
        }
        c.run++;
        c[t.status]++;
    }
    return c;
}

function describe(c) {
    return `${c.run} tests: ${c.passed} passed, ${c.failed} failed, ${c.error} errors${c.skipped ? `, ${c.skipped} skipped` : ""}`;
}

function perModule(tests) {
    const rows = new Map();
    for (const [id, t] of tests) {
        const module = id.split(":")[0];
        const row = rows.get(module) || { run: 0, passed: 0, noSetup: 0 };
        if (id.endsWith(".setUpClass")) {
            row.noSetup++;
        } else {
            row.run++;
            row.passed += t.status === "passed" ? 1 : 0;
        }
        rows.set(module, row);
    }
    return rows;
}

function moduleCell(row) {
    if (!row) {
        return "-";
    }
    const setup = row.noSetup ? ` (+${row.noSetup} class${row.noSetup > 1 ? "es" : ""} failing to set up)` : "";
    return `${row.passed}/${row.run}${setup}`;
}

/**
 * Tests that pass without the addon and do not pass with it, each with why
 * ("fails", "errors", "is skipped", "does not run").
 */
function regressions(without, withAddon) {
    const found = [];
    for (const [id, before] of without) {
        if (before.status !== "passed") {
            continue;
        }
        const after = withAddon.get(id);
        const [module, rest] = id.split(":");
        const setup = withAddon.get(`${module}:${rest.split(".")[0]}.setUpClass`);
        if (after && after.status === "passed") {
            continue;
        }
        const how = !after
            ? setup ? `does not run (its class fails to set up: ${setup.reason})` : "does not run"
            : { failed: "fails", error: "errors", skipped: "is skipped" }[after.status];
        found.push({ id, how, reason: after?.reason || "" });
    }
    return found;
}

async function runSuites(trees, db, label) {
    const t0 = Date.now();
    process.stdout.write(`  ${label}: --test-enable --test-tags …`);
    const logFile = path.join(logDir, `neighbours-${label.replace(/\W+/g, "-")}.log`);
    const { code, log } = await runOdoo(
        trees, db,
        ["--test-enable", "--test-tags", TAGS.join(","), "--log-level=test", "--http-port=0"],
        { logFile },
    );
    const summary = /(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database/.exec(log);
    if (!summary) {
        process.stdout.write("\n");
        throw new HostError(
            `The host tests on ${label} did not run to the end (odoo-bin exit ${code}): read ${logFile}, ` +
                "fix the cause and run npm run test:neighbours again.",
        );
    }
    const tests = parseTestLog(log);
    const c = counts(tests);
    process.stdout.write(` ${seconds(t0)}\n    ${describe(c)} (Odoo: ${summary[0]}; log ${path.relative(repoRoot, logFile)})\n`);
    return tests;
}

async function installHost(trees, without) {
    const t0 = Date.now();
    process.stdout.write(`  ${without}: -i ${HOST_MODULES.join(",")}`);
    const base = await runOdoo(trees, without, ["-i", HOST_MODULES.join(","), "--http-port=0", "--log-level=warn"], {
        logFile: path.join(logDir, "neighbours-install.log"),
    });
    if (base.code !== 0) {
        throw new HostError(
            `Installing ${HOST_MODULES.join(", ")} on ${without} failed: read ${path.join(logDir, "neighbours-install.log")}, ` +
                "fix the cause and run npm run test:neighbours again.",
        );
    }
    process.stdout.write(` ${seconds(t0)}\n`);
}

async function installAddonOnCopy(trees, without, withAddon) {
    const t0 = Date.now();
    // The second database starts as a copy of the first: both hold the same host modules and data.
    process.stdout.write(`  ${withAddon}: a copy of ${without}, -i ${MODULES}`);
    copyDatabase(without, withAddon);
    const addon = await runOdoo(trees, withAddon, ["-i", MODULES, "--http-port=0", "--log-level=warn"], {
        logFile: path.join(logDir, "neighbours-install-addon.log"),
    });
    if (addon.code !== 0 || / (ERROR|CRITICAL) /.test(addon.log)) {
        throw new HostError(
            `Installing ${MODULES} on ${withAddon} failed: read ${path.join(logDir, "neighbours-install-addon.log")}, ` +
                "fix the cause and run npm run test:neighbours again.",
        );
    }
    process.stdout.write(` ${seconds(t0)}\n`);
}

async function main() {
    fs.mkdirSync(logDir, { recursive: true });
    const accepted = acceptedDifferences(fs.readFileSync(path.join(repoRoot, "README.md"), "utf8"));
    heading(`host tests without and with ${MODULES} (${full ? FULL_TAGS.join(" ") : "hr_timesheet, helpdesk_mgmt, sale_timesheet and account: see NEIGHBOUR_TAGS; --full for all of them"})`);
    const trees = prepareHost();
    process.stdout.write(`  Odoo: ${trees.odoo}\n  OCA Helpdesk: ${trees.helpdesk}\n`);
    const t0 = Date.now();
    const without = `nb_without_${process.pid}`;
    const withAddon = `nb_with_${process.pid}`;
    for (const db of [without, withAddon]) {
        dropDatabase(db);
        cleanups.push(() => dropDatabase(db));
    }
    await installHost(trees, without);
    await installAddonOnCopy(trees, without, withAddon);
    const before = await runSuites(trees, without, "without the addon");
    for (const tag of TAGS.filter((t) => /\.\w+$/.test(t))) {
        // A test picked by name that the host no longer has would silently shrink the set.
        const [, module, test] = /^\/(\w+):(.+)$/.exec(tag);
        if (!before.has(`${module}:${test}`)) {
            process.stdout.write(`  note      the host has no test ${module}:${test} any more: update NEIGHBOUR_TAGS.\n`);
        }
    }
    const after = await runSuites(trees, withAddon, "with the addon");

    heading("per module (passed / run, without → with the addon)");
    const rowsBefore = perModule(before);
    const rowsAfter = perModule(after);
    for (const module of new Set([...rowsBefore.keys(), ...rowsAfter.keys()])) {
        process.stdout.write(`  ${module.padEnd(22)} ${moduleCell(rowsBefore.get(module))} → ${moduleCell(rowsAfter.get(module))}\n`);
    }

    heading("comparison");
    const found = regressions(before, after);
    const failures = found.filter((r) => !accepted.has(r.id));
    for (const r of found.filter((x) => accepted.has(x.id))) {
        process.stdout.write(`  accepted  ${r.id} ${r.how} with the addon: ${accepted.get(r.id)}\n`);
    }
    for (const id of accepted.keys()) {
        if (!found.some((r) => r.id === id)) {
            process.stdout.write(`  note      ${id} is listed in the README's Compatibility section but no longer differs: remove it.\n`);
        }
    }
    for (const r of failures) {
        process.stdout.write(`  not ok    ${r.id} passes without the addon and ${r.how} with it${r.reason ? `: ${r.reason}` : ""}\n`);
    }
    const compared = [...before.values()].filter((t) => t.status === "passed").length;
    if (!failures.length) {
        process.stdout.write(`  ok        the ${compared} tests that pass without the addon pass with it${found.length ? " (or are accepted differences)" : ""}\n`);
    } else {
        process.stdout.write(
            `  Fix the addon, or, when the difference is a deliberate behaviour of ours, list the test with the reason in the README's Compatibility section.\n`,
        );
    }
    process.stdout.write(`  ${seconds(t0)} in all\n`);
    return { passed: compared - failures.length, failed: failures.length };
}

const cleanup = registerCleanups(cleanups, stopOdooProcesses);

let result = { passed: 0, failed: 1 };
try {
    result = await main();
} catch (error) {
    reportFailure("npm run test:neighbours", error, path.join(logDir, "neighbours-error.log"));
} finally {
    await cleanup();
}
process.stdout.write(`\n${result.passed} passed, ${result.failed} failed\n`);
process.exit(result.failed === 0 ? 0 : 1);
