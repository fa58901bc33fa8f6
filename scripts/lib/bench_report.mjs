// Benchmark report: targets with pass/miss, the Markdown table and an
// HTML/SVG chart that Chromium turns into a PNG.
const fmtMs = (v) => (v === null || v === undefined ? "–" : v >= 100 ? `${Math.round(v)}` : v.toFixed(1));
const fmtInt = (v) => (v === null || v === undefined ? "–" : String(Math.round(v)));
const fmtRatio = (v) => (v === null || v === undefined || !Number.isFinite(v) ? "–" : `${v.toFixed(2)}×`);
const fmtN = (n) => n.toLocaleString("en-US");

export function ratio(ours, baseline) {
    return ours !== null && baseline ? ours / baseline : null;
}

function target(id, label, status, measured, detail = "") {
    return { id, label, status, measured, detail };
}

/** Every target of the issue, reported as met / missed / not measured. */
export function evaluateTargets(results) {
    const rows = results.server.addCases;
    const at = (n) => rows.find((r) => r.n === n);
    const browserAt = (n) => (results.browser.sizes || []).find((b) => b.n === n && !b.error);
    const out = [];

    const r10 = at(10);
    const r1000 = at(1000);
    if (r10 && r1000) {
        const factor = r1000.ours.queries / r10.ours.queries;
        out.push(target("queries-constant", "Billing queries at N=1,000 at most 3× those at N=10",
            factor <= 3 ? "met" : "missed",
            `${fmtInt(r1000.ours.queries)} vs ${fmtInt(r10.ours.queries)} queries (${fmtRatio(factor)})`));
    } else {
        out.push(target("queries-constant", "Billing queries at N=1,000 at most 3× those at N=10", "not measured", "needs N=10 and N=1,000 in BENCH_SIZES"));
    }
    if (r1000) {
        out.push(target("time-1000", "Billing 1,000 cases in under 2 s",
            r1000.ours.ms < 2000 ? "met" : "missed", `${fmtMs(r1000.ours.ms)} ms`));
        const timeRatio = r1000.ratio.time;
        out.push(target("vs-baseline", "Billing 1,000 cases no slower than 1.0× the sales-order baseline",
            timeRatio !== null && timeRatio <= 1.0 ? "met" : "missed",
            `${fmtMs(r1000.ours.ms)} ms vs ${fmtMs(r1000.baseline.ms)} ms (${fmtRatio(timeRatio)})`));
    } else {
        out.push(target("time-1000", "Billing 1,000 cases in under 2 s", "not measured", "needs N=1,000 in BENCH_SIZES"));
        out.push(target("vs-baseline", "Billing 1,000 cases no slower than 1.0× the sales-order baseline", "not measured", "needs N=1,000 in BENCH_SIZES"));
    }

    const browser = (results.browser.sizes || []).filter((b) => !b.error);
    if (browser.length) {
        const loadCalls = browser.map((b) => b.load.rpcCalls);
        out.push(target("one-call-load", "One JSON-RPC call to load the grid, whatever N",
            loadCalls.every((c) => c === 1) ? "met" : "missed",
            browser.map((b) => `N=${fmtN(b.n)}: ${b.load.rpcCalls}`).join(", ")));
        const addCalls = browser.map((b) => b.add.rpcCalls);
        out.push(target("one-call-add", "One JSON-RPC call to add the cases, whatever N (invoice reload counted apart)",
            addCalls.every((c) => c === 1) ? "met" : "missed",
            browser.map((b) => `N=${fmtN(b.n)}: ${b.add.rpcCalls} + ${b.add.reloadCalls} reload`).join(", ")));
    } else {
        const failed = (results.browser.sizes || []).find((b) => b.error);
        const why = results.browser.error ? `browser run failed: ${results.browser.error}`
            : failed ? `browser run failed: ${failed.error.split("\n")[0]}` : "no browser run";
        out.push(target("one-call-load", "One JSON-RPC call to load the grid, whatever N", "not measured", why));
        out.push(target("one-call-add", "One JSON-RPC call to add the cases, whatever N", "not measured", why));
    }
    out.push(...billingRunTargets(results.billingRun));
    out.push(...workTypesTargets(results.workTypes));
    for (const [n, limit] of [[1000, 500], [5000, 1500]]) {
        const b = browserAt(n);
        const label = `Grid interactive in under ${fmtN(limit)} ms for ${fmtN(n)} cases`;
        out.push(b
            ? target(`grid-${n}`, label, b.load.ms < limit ? "met" : "missed", `${fmtMs(b.load.ms)} ms`)
            : target(`grid-${n}`, label, "not measured", `needs N=${fmtN(n)} in BENCH_SIZES and a browser run`));
    }
    return out;
}

function billingRunTargets(run) {
    const labels = [
        ["run-30s", "Billing run of 10,000 cases for 500 customers in under 30 s"],
        ["run-vs-baseline", "Billing run at most 0.5× the standard path (sales orders and the Create invoice wizard)"],
        ["run-queries-constant", "Billing run: queries per customer do not grow with its cases (customers of 33 cases at most 1.1× those of 8; Odoo inserts 100 rows a query)"],
        ["run-form-p95", "Ticket form opened during the run: p95 under 500 ms"],
    ];
    if (!run || run.error) {
        const why = run?.error ? `the run failed: ${run.error}` : "BENCH_PARTS without billingRun";
        return labels.map(([id, label]) => target(id, label, "not measured", why));
    }
    const byCases = Object.entries(run.detail.queriesPerCustomerByCases);
    const [fewer, more] = byCases.map(([, q]) => q);
    const same = more <= 1.1 * fewer;
    return [
        target("run-30s", labels[0][1], run.ms < 30_000 ? "met" : "missed",
            `${fmtInt(run.cases)} cases, ${fmtInt(run.customers)} customers in ${fmtMs(run.ms)} ms`),
        target("run-vs-baseline", labels[1][1], run.ratio <= 0.5 ? "met" : "missed",
            `${fmtMs(run.ms)} ms vs ${fmtMs(run.baselineMs)} ms (${fmtRatio(run.ratio)})`),
        target("run-queries-constant", labels[2][1], same ? "met" : "missed",
            byCases.map(([cases, q]) => `${cases} cases: ${q}`).join(", ")),
        target("run-form-p95", labels[3][1], run.p95FormMs < 500 ? "met" : "missed",
            `p95 ${fmtMs(run.p95FormMs)} ms over ${run.detail.formsOpened} forms`),
    ];
}

function workTypesTargets(run) {
    const labels = [
        ["wt-30s", "Work types: billing run of 1,000 cases with two work types each in under 30 s"],
        ["wt-vs-baseline", "Work types: billing run at most 0.5× the standard path (two order lines a case)"],
        ["wt-queries-constant", "Work types: queries per customer do not grow with its cases (customers of 20 cases at most 1.1× those of 5)"],
        ["wt-form-p95", "Work types: ticket form opened during the run, p95 under 500 ms"],
    ];
    if (!run || run.error) {
        const why = run?.error ? `the run failed: ${run.error}` : "BENCH_PARTS without workTypes";
        return labels.map(([id, label]) => target(id, label, "not measured", why));
    }
    const byCases = Object.entries(run.detail.queriesPerCustomerByCases);
    const [fewer, more] = byCases.map(([, q]) => q);
    return [
        target("wt-30s", labels[0][1], run.ms < 30_000 ? "met" : "missed",
            `${fmtInt(run.cases)} cases, ${fmtInt(run.customers)} customers in ${fmtMs(run.ms)} ms`),
        target("wt-vs-baseline", labels[1][1], run.ratio <= 0.5 ? "met" : "missed",
            `${fmtMs(run.ms)} ms vs ${fmtMs(run.baselineMs)} ms (${fmtRatio(run.ratio)})`),
        target("wt-queries-constant", labels[2][1], more <= 1.1 * fewer ? "met" : "missed",
            byCases.map(([cases, q]) => `${cases} cases: ${q}`).join(", ")),
        target("wt-form-p95", labels[3][1], run.p95FormMs < 500 ? "met" : "missed",
            `p95 ${fmtMs(run.p95FormMs)} ms over ${run.detail.formsOpened} forms`),
    ];
}

function workTypesSection(run) {
    const lines = ["## Work types: a billing run of 1,000 cases with two work types each", ""];
    if (!run) {
        return [...lines, "Not measured (BENCH_PARTS without workTypes).", ""];
    }
    if (run.error) {
        return [...lines, `Not measured: ${run.error}`, ""];
    }
    const d = run.detail;
    lines.push("The same run as above, on 80 customers (40 with 5 closed cases, 40 with 20): each case has 20 minutes " +
        "of the team's product and 20 minutes of an on-site work type at 1.5× its price, so two invoice lines. " +
        "Baseline: one confirmed sales order per customer with the same two lines a case, invoiced with the standard " +
        `"Create invoice" wizard, ${d.baselineBatch} orders a call.`, "");
    lines.push("| figure | value |", "|---|---:|",
        `| cases / customers / invoice lines a case | ${run.cases} / ${run.customers} / ${d.invoiceLinesPerCase} |`,
        `| run, Start to done (ms) | ${fmtMs(run.ms)} |`,
        `| standard path (ms) | ${fmtMs(run.baselineMs)} |`,
        `| ratio run / standard | ${fmtRatio(run.ratio)} |`,
        `| queries per customer (median; by cases a customer) | ${run.queriesPerCustomer} (${Object.entries(d.queriesPerCustomerByCases).map(([c, q]) => `${c} cases: ${q}`).join(" / ")}) |`,
        `| ticket form during the run: p95 (ms) | ${fmtMs(run.p95FormMs)} |`,
        `| peak resident memory of an Odoo worker (MB) | ${run.peakRssMb} |`, "");
    return lines;
}

function billingRunSection(run) {
    const lines = ["## Billing run: 10,000 cases for 500 customers in the background", ""];
    if (!run) {
        return [...lines, "Not measured (BENCH_PARTS without billingRun).", ""];
    }
    if (run.error) {
        return [...lines, `Not measured: ${run.error}`, ""];
    }
    const d = run.detail;
    lines.push(`Odoo with \`--workers=2\` and its default two cron workers, each running one of the run's two scheduled actions. 260 customers have 8 closed cases, 240 have 33. ` +
        `Ours: a billing run over the team (preview first, not counted in the run's time: ${fmtMs(d.previewMs)} ms until ` +
        `ready, of which ${fmtMs(d.previewRequestMs)} ms in the web request and the rest in the background), ` +
        `from "Start" to the run read as done, one draft invoice per customer, committed in chunks of 20 customers by the two cron workers side by side. ` +
        `Baseline: the same hours on one confirmed sales order per customer, invoiced with the standard "Create invoice" ` +
        `wizard, ${d.baselineBatch} orders a call.`, "");
    lines.push("| figure | value |", "|---|---:|");
    const rows = [
        ["cases / customers", `${fmtInt(run.cases)} / ${fmtInt(run.customers)}`],
        ["run, Start to done (ms)", fmtMs(run.ms)],
        ["standard path (ms)", fmtMs(run.baselineMs)],
        ["ratio run / standard", fmtRatio(run.ratio)],
        ["invoices made", fmtInt(d.invoices)],
        ["queries per customer (median; customers of 8 cases / of 33 cases; max)",
            `${run.queriesPerCustomer} (${d.queriesPerCustomerByCases[8]} / ${d.queriesPerCustomerByCases[33]}; ${d.queriesPerCustomerMax})`],
        ["chunks of the run (customers each, committed one by one)", `${d.chunks} (${d.customersPerChunk})`],
        ["standard path: queries per order", fmtInt(d.baselineQueriesPerCustomer)],
        ["ticket form during the run: p95 / median / max (ms)", `${fmtMs(run.p95FormMs)} / ${fmtMs(d.medianFormMs)} / ${fmtMs(d.maxFormMs)}`],
        ["ticket forms opened during the run", fmtInt(d.formsOpened)],
        ["peak resident memory of an Odoo worker (MB)", run.peakRssMb],
        ["peak resident memory of Odoo's main process (MB)", d.peakMainRssMb],
    ];
    lines.push(...rows.map(([k, v]) => `| ${k} | ${v} |`), "");
    lines.push("A ticket form's time is the wall time of its load request (\`web_read\` with the specification the " +
        "form sends, captured from Chromium), one every 100 ms while the run goes on. Queries per customer are " +
        "those of the cron's chunks (their customers' invoices and the commit), logged by the run at debug level, " +
        "divided by the chunk's customers.", "");
    return lines;
}

export function markdown(results) {
    const { machine, config } = results;
    const lines = [];
    lines.push("# Helpdesk Case Billing — benchmark", "");
    lines.push(`Finished ${results.generatedAt} on ${machine.nproc} CPU (${machine.cpuModel}), ${machine.memoryGb} GB RAM; ` +
        `Odoo ${machine.odooVersion}, ${machine.postgres}, Chromium ${machine.chromium || "–"}, Node ${machine.node}; ` +
        `repository commit ${machine.gitCommit}${machine.gitDirty ? " (with uncommitted changes)" : ""}; ` +
        `1-minute load average ${machine.loadAverageStart} at the start, ${machine.loadAverageEnd} at the end.`, "");
    lines.push(`Each server figure is the median of ${config.repeats} runs on fresh cases, a fresh invoice and fresh sales orders; ` +
        `time is the wall time of the JSON-RPC call seen from the client, queries come from Odoo's request log. ` +
        `Each case has ${config.caseMinutes} min logged, billed as 2 units of 15 min = ${config.billedHoursPerCase} h; ` +
        `the baseline bills the same hours through a confirmed sales order with one line of ${config.billedHoursPerCase} h per case ` +
        `(service product, invoiced on order, in hours) and the standard "Create invoice" wizard (regular invoice): ` +
        `its figures add the wizard's create and its create_invoices call.`, "");

    lines.push("## Server: adding N cases of one customer to a draft invoice", "");
    lines.push("| N | ours: time (ms) | ours: queries | baseline: time (ms) | baseline: queries | time ours/baseline | queries ours/baseline |");
    lines.push("|---:|---:|---:|---:|---:|---:|---:|");
    for (const r of results.server.addCases) {
        lines.push(`| ${fmtN(r.n)} | ${fmtMs(r.ours.ms)} | ${fmtInt(r.ours.queries)} | ${fmtMs(r.baseline.ms)} | ${fmtInt(r.baseline.queries)} | ${fmtRatio(r.ratio.time)} | ${fmtRatio(r.ratio.queries)} |`);
    }
    lines.push("");
    const m = results.server.createInvoices;
    if (m) {
        lines.push(`## Server: invoicing ${m.customers} customers × ${m.casesPerCustomer} cases in one call`, "");
        lines.push("| path | time (ms) | queries | invoices |");
        lines.push("|---|---:|---:|---:|");
        lines.push(`| ours: helpdesk.ticket.action_create_invoices | ${fmtMs(m.ours.ms)} | ${fmtInt(m.ours.queries)} | ${m.ours.invoices} |`);
        lines.push(`| baseline: sale.advance.payment.inv on ${m.customers} orders | ${fmtMs(m.baseline.ms)} | ${fmtInt(m.baseline.queries)} | ${m.baseline.invoices} |`);
        lines.push(`| ratio ours/baseline | ${fmtRatio(m.ratio.time)} | ${fmtRatio(m.ratio.queries)} | |`, "");
    }

    lines.push("## Browser: Load helpdesk cases and Add on the invoice form", "");
    if (results.browser.error) {
        lines.push(`Not measured: ${results.browser.error}`, "");
    } else {
        lines.push("| N | grid interactive (ms) | load RPCs | load queries | select all (ms) | Add → lines shown (ms) | add RPCs | reload RPCs | add queries | reload queries |");
        lines.push("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (const b of results.browser.sizes) {
            if (b.error) {
                lines.push(`| ${fmtN(b.n)} | failed: ${b.error.replace(/\|/g, "/").split("\n")[0]} | | | | | | | | |`);
                continue;
            }
            lines.push(`| ${fmtN(b.n)} | ${fmtMs(b.load.ms)} | ${b.load.rpcCalls} | ${fmtInt(b.load.queries)} | ${fmtMs(b.selectAllMs)} | ${fmtMs(b.add.ms)} | ${b.add.rpcCalls} | ${b.add.reloadCalls} | ${fmtInt(b.add.queries)} | ${fmtInt(b.add.reloadQueries)} |`);
        }
        lines.push("", "Grid time: median of 3 openings; reload RPCs are the invoice form's own reload after the add " +
            `(${[...new Set(results.browser.sizes.flatMap((b) => b.add?.reloadMethods || []))].join(", ") || "none"}).`, "");
    }

    lines.push(...billingRunSection(results.billingRun));
    lines.push(...workTypesSection(results.workTypes));

    lines.push("## Remaining-hours indicator (200 timesheet lines in the ticket form)", "");
    const rh = results.remainingHours;
    lines.push(rh.measured
        ? `Median ${fmtMs(rh.ms)} ms per edit over ${rh.edits} edits: from committing a new duration in one of the ` +
            `${rh.timesheetLines} timesheet lines of the ticket form to the indicator (\`.o_case_remaining_hours\`) showing ` +
            `the new figure${rh.rpcCalls === null || rh.rpcCalls === undefined ? "" : `; ${rh.rpcCalls} JSON-RPC calls during the edits`}.`
        : `Not measured: ${rh.reason}.`, "");

    lines.push("## Targets", "");
    lines.push("| target | measured | result |");
    lines.push("|---|---|---|");
    for (const t of results.targets) {
        const mark = t.status === "met" ? "✅ met" : t.status === "missed" ? "❌ missed" : "– not measured";
        lines.push(`| ${t.label} | ${t.measured || t.detail} | ${mark} |`);
    }
    lines.push("");
    if (results.notes?.length) {
        lines.push("## Notes", "", ...results.notes.map((n) => `- ${n}`), "");
    }
    return lines.join("\n");
}

// ---------------------------------------------------------------------------
// Chart
// ---------------------------------------------------------------------------

const COLORS = { ours: "#714B67", baseline: "#8a8a8a", load: "#017e84", add: "#e07b00", target: "#c0392b" };

function logTicks(min, max) {
    const ticks = [];
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
        for (const m of [1, 2, 5]) {
            const v = m * 10 ** e;
            if (v >= min * 0.999 && v <= max * 1.001) {
                ticks.push(v);
            }
        }
    }
    return ticks;
}

function tickLabel(v) {
    return v >= 1000 ? `${v / 1000}k` : String(v);
}

/** A log-log line chart panel as an SVG string. */
function linePanel({ title, yLabel, xs, series, markers = [], width = 560, height = 330 }) {
    const pad = { left: 64, right: 40, top: 36, bottom: 64 };
    const allY = [...series.flatMap((s) => s.values), ...markers.map((m) => m.y)].filter((v) => v > 0);
    if (!allY.length || !xs.length) {
        return `<svg width="${width}" height="${height}"><text x="20" y="40">${title}: no data</text></svg>`;
    }
    const yMin = 10 ** Math.floor(Math.log10(Math.min(...allY)));
    const yMax = 10 ** Math.ceil(Math.log10(Math.max(...allY)));
    const xMin = Math.min(...xs);
    const xMax = Math.max(...xs);
    const w = width - pad.left - pad.right;
    const h = height - pad.top - pad.bottom;
    const x = (v) => pad.left + (xMax === xMin ? w / 2 : ((Math.log10(v) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin))) * w);
    const y = (v) => pad.top + h - ((Math.log10(v) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * h;
    const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, sans-serif" font-size="12">`];
    parts.push(`<text x="${pad.left}" y="20" font-size="15" font-weight="bold">${title}</text>`);
    for (const t of logTicks(yMin, yMax)) {
        parts.push(`<line x1="${pad.left}" x2="${pad.left + w}" y1="${y(t)}" y2="${y(t)}" stroke="#e4e4e4"/>`);
        parts.push(`<text x="${pad.left - 6}" y="${y(t) + 4}" text-anchor="end" fill="#555">${tickLabel(t)}</text>`);
    }
    for (const n of xs) {
        parts.push(`<line x1="${x(n)}" x2="${x(n)}" y1="${pad.top}" y2="${pad.top + h}" stroke="#f0f0f0"/>`);
        parts.push(`<text x="${x(n)}" y="${pad.top + h + 16}" text-anchor="middle" fill="#555">${fmtN(n)}</text>`);
    }
    parts.push(`<rect x="${pad.left}" y="${pad.top}" width="${w}" height="${h}" fill="none" stroke="#999"/>`);
    parts.push(`<text x="${pad.left + w / 2}" y="${pad.top + h + 34}" text-anchor="middle" fill="#333">cases (N, log scale)</text>`);
    parts.push(`<text transform="translate(16 ${pad.top + h / 2}) rotate(-90)" text-anchor="middle" fill="#333">${yLabel}</text>`);
    for (const s of series) {
        const pts = xs.map((n, i) => [n, s.values[i]]).filter(([, v]) => v > 0);
        if (!pts.length) {
            continue;
        }
        parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2.5" ${s.dash ? `stroke-dasharray="${s.dash}"` : ""} points="${pts.map(([n, v]) => `${x(n)},${y(v)}`).join(" ")}"/>`);
        for (const [n, v] of pts) {
            parts.push(`<circle cx="${x(n)}" cy="${y(v)}" r="4" fill="${s.color}"/>`);
        }
    }
    const shown = markers.filter((m) => m.x >= xMin && m.x <= xMax);
    for (const m of shown) {
        const cx = x(m.x);
        const cy = y(m.y);
        parts.push(`<line x1="${cx - 14}" x2="${cx + 14}" y1="${cy}" y2="${cy}" stroke="${COLORS.target}" stroke-width="3"/>`);
        parts.push(`<text x="${cx - 16}" y="${cy - 6}" text-anchor="end" fill="${COLORS.target}" font-size="11">${m.label}</text>`);
    }
    let lx = pad.left;
    const ly = pad.top + h + 54;
    for (const s of [...series, ...(shown.length ? [{ name: "target", color: COLORS.target }] : [])]) {
        parts.push(`<rect x="${lx}" y="${ly - 9}" width="14" height="4" fill="${s.color}"/>`);
        parts.push(`<text x="${lx + 18}" y="${ly - 4}" fill="#333">${s.name}</text>`);
        lx += 24 + s.name.length * 7;
    }
    parts.push("</svg>");
    return parts.join("");
}

/** Grouped bars of the 50-customer comparison, each measure scaled to the larger of the two. */
function barsPanel({ title, groups, width = 560, height = 330 }) {
    const pad = { left: 24, right: 16, top: 36, bottom: 64 };
    const w = width - pad.left - pad.right;
    const h = height - pad.top - pad.bottom;
    const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, sans-serif" font-size="12">`];
    parts.push(`<text x="${pad.left}" y="20" font-size="15" font-weight="bold">${title}</text>`);
    const slot = w / groups.length;
    groups.forEach((g, i) => {
        const max = Math.max(g.ours, g.baseline) || 1;
        const bw = slot / 4;
        const bars = [["ours", g.ours, COLORS.ours], ["baseline", g.baseline, COLORS.baseline]];
        bars.forEach(([, value, color], j) => {
            const bh = (value / max) * (h - 20);
            const bx = pad.left + i * slot + slot / 2 - bw + j * bw;
            parts.push(`<rect x="${bx}" y="${pad.top + h - bh}" width="${bw - 6}" height="${bh}" fill="${color}"/>`);
            parts.push(`<text x="${bx + (bw - 6) / 2}" y="${pad.top + h - bh - 5}" text-anchor="middle" fill="#333">${g.format(value)}</text>`);
        });
        parts.push(`<text x="${pad.left + i * slot + slot / 2}" y="${pad.top + h + 18}" text-anchor="middle" fill="#333">${g.label}</text>`);
    });
    parts.push(`<line x1="${pad.left}" x2="${pad.left + w}" y1="${pad.top + h}" y2="${pad.top + h}" stroke="#999"/>`);
    let lx = pad.left;
    for (const [name, color] of [["ours", COLORS.ours], ["baseline (sales orders)", COLORS.baseline]]) {
        parts.push(`<rect x="${lx}" y="${pad.top + h + 45}" width="14" height="4" fill="${color}"/>`);
        parts.push(`<text x="${lx + 18}" y="${pad.top + h + 50}" fill="#333">${name}</text>`);
        lx += 40 + name.length * 7;
    }
    parts.push("</svg>");
    return parts.join("");
}

export function chartHtml(results) {
    const rows = results.server.addCases;
    const xs = rows.map((r) => r.n);
    const panels = [
        linePanel({
            title: "Server: add N cases to an invoice — time", yLabel: "ms (log)", xs,
            series: [
                { name: "ours (action_add_helpdesk_cases)", color: COLORS.ours, values: rows.map((r) => r.ours.ms) },
                { name: "baseline (SO → invoice)", color: COLORS.baseline, dash: "6 4", values: rows.map((r) => r.baseline.ms) },
            ],
            markers: [{ x: 1000, y: 2000, label: "2 s" }],
        }),
        linePanel({
            title: "Server: add N cases — SQL queries", yLabel: "queries (log)", xs,
            series: [
                { name: "ours", color: COLORS.ours, values: rows.map((r) => r.ours.queries) },
                { name: "baseline", color: COLORS.baseline, dash: "6 4", values: rows.map((r) => r.baseline.queries) },
            ],
            markers: rows.find((r) => r.n === 10) ? [{ x: 1000, y: 3 * rows.find((r) => r.n === 10).ours.queries, label: "3× N=10" }] : [],
        }),
    ];
    const browser = (results.browser.sizes || []).filter((b) => !b.error);
    panels.push(linePanel({
        title: "Browser: Load helpdesk cases / Add", yLabel: "ms (log)", xs: browser.map((b) => b.n),
        series: [
            { name: "grid interactive", color: COLORS.load, values: browser.map((b) => b.load.ms) },
            { name: "Add → lines shown", color: COLORS.add, values: browser.map((b) => b.add.ms) },
        ],
        markers: [{ x: 1000, y: 500, label: "500 ms" }, { x: 5000, y: 1500, label: "1.5 s" }],
    }));
    const m = results.server.createInvoices;
    if (m) {
        panels.push(barsPanel({
            title: `Server: ${m.customers} customers × ${m.casesPerCustomer} cases, one call`,
            groups: [
                { label: "time (ms)", ours: m.ours.ms, baseline: m.baseline.ms, format: (v) => fmtMs(v) },
                { label: "SQL queries", ours: m.ours.queries, baseline: m.baseline.queries, format: (v) => fmtInt(v) },
            ],
        }));
    }
    const machine = results.machine;
    return `<!doctype html><html><head><meta charset="utf-8"><style>
body { margin: 0; padding: 16px 20px; font-family: "DejaVu Sans", sans-serif; background: #fff; color: #222; }
h1 { font-size: 20px; margin: 0 0 4px; } p { margin: 0 0 12px; color: #555; font-size: 12px; }
.grid { display: grid; grid-template-columns: 560px 560px; gap: 12px 24px; }
</style></head><body><div id="chart" style="display:inline-block">
<h1>Helpdesk Case Billing — benchmark</h1>
<p>${machine.nproc} CPU ${machine.cpuModel} · Odoo ${machine.odooVersion} · commit ${machine.gitCommit} · medians of ${results.config.repeats} runs · ${results.generatedAt}</p>
<div class="grid">${panels.join("\n")}</div></div></body></html>`;
}

/** Renders the chart HTML in a Chromium page and saves a PNG of it. */
export async function renderChart(browser, html, file) {
    const page = await browser.newPage();
    try {
        await page.setViewport({ width: 1200, height: 800, deviceScaleFactor: 1 });
        await page.setContent(html, { waitUntil: "load" });
        const element = await page.$("#chart");
        await element.screenshot({ path: file });
    } finally {
        await page.close();
    }
}
