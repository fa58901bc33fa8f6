// Server-side measurements of the benchmark: wall time of one JSON-RPC call
// seen from the client, and its SQL query count and server time read from
// the werkzeug request line Odoo logs at the info level:
//   "POST /web/dataset/call_kw/<model>/<method> HTTP/1.1" 200 - <queries> <sql s> <other s>
import fs from "node:fs";
import { performance } from "node:perf_hooks";

const REQUEST_LINE = /"POST (\S+) HTTP\/1\.[01]" (\d{3}) \S+ (\d+) ([\d.]+) ([\d.]+)/;

function parseMatch(match) {
    const sql = Number(match[4]);
    const other = Number(match[5]);
    return {
        route: match[1].split("#")[0],
        status: Number(match[2]),
        queries: Number(match[3]),
        sqlMs: sql * 1000,
        serverMs: (sql + other) * 1000,
    };
}

/** Reads the server log written by startOdooServer from a byte offset on. */
export class LogWatcher {
    constructor(file) {
        this.file = file;
    }

    offset() {
        try {
            return fs.statSync(this.file).size;
        } catch {
            return 0;
        }
    }

    readFrom(offset) {
        const size = this.offset();
        if (size <= offset) {
            return "";
        }
        const fd = fs.openSync(this.file, "r");
        try {
            const buffer = Buffer.alloc(size - offset);
            fs.readSync(fd, buffer, 0, buffer.length, offset);
            return buffer.toString("utf8");
        } finally {
            fs.closeSync(fd);
        }
    }

    /** Every POST request line logged after `offset`: [{route, status, queries, sqlMs, serverMs}]. */
    requestsSince(offset) {
        const out = [];
        for (const line of this.readFrom(offset).split("\n")) {
            const match = REQUEST_LINE.exec(line);
            if (match) {
                out.push(parseMatch(match));
            }
        }
        return out;
    }

    /**
     * Waits for the first request line of `route` logged after `offset` and
     * returns {queries, sqlMs, serverMs, status}. The benchmark sends one call
     * at a time, so the first matching line is the one of the call.
     */
    async waitForRequest(offset, route, timeoutMs = 30_000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            const found = this.requestsSince(offset).find((request) => request.route === route);
            if (found) {
                return found;
            }
            if (Date.now() > deadline) {
                throw new Error(`No request line for ${route} in ${this.file} after ${timeoutMs / 1000} s`);
            }
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
    }
}

/**
 * One call_kw call, timed from the client, with the query count of its request.
 * Returns {result, ms, queries, sqlMs, serverMs}.
 */
export async function measuredCall(rpc, watcher, model, method, args, kwargs = {}) {
    const offset = watcher.offset();
    const started = performance.now();
    const result = await rpc.call(model, method, args, kwargs);
    const ms = performance.now() - started;
    const perf = await watcher.waitForRequest(offset, `/web/dataset/call_kw/${model}/${method}`);
    return { result, ms, queries: perf.queries, sqlMs: perf.sqlMs, serverMs: perf.serverMs };
}

export function median(values) {
    const sorted = values.filter((v) => typeof v === "number" && Number.isFinite(v)).sort((a, b) => a - b);
    if (!sorted.length) {
        return null;
    }
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median of each numeric measure over repeats of {ms, queries, sqlMs, serverMs, …}. */
export function summarise(runs, keys = ["ms", "queries", "sqlMs", "serverMs"]) {
    const out = { repeats: runs.length };
    for (const key of keys) {
        out[key] = median(runs.map((run) => run[key]));
    }
    out.runs = runs;
    return out;
}
