// Node-side JSON-RPC client of a running Odoo: used to seed demo data, by the
// browser tests to set up their fixtures, and by the benchmark.
import jsonrpc from "jsonrpc-lite";

export class OdooRpcError extends Error {
    constructor(message, data) {
        super(message);
        this.name = data?.name || "OdooRpcError";
        this.data = data;
    }
}

export class OdooRpc {
    constructor(url) {
        this.url = url.replace(/\/$/, "");
        this.cookie = "";
        this.nextId = 1;
        /** JSON-RPC requests sent, for the benchmark's round-trip counts. */
        this.requestCount = 0;
    }

    async post(route, params) {
        const body = jsonrpc.request(this.nextId++, "call", params);
        this.requestCount++;
        const res = await fetch(`${this.url}${route}`, {
            method: "POST",
            headers: { "Content-Type": "application/json", ...(this.cookie ? { Cookie: this.cookie } : {}) },
            body: JSON.stringify(body),
        });
        const setCookie = res.headers.get("set-cookie");
        if (setCookie) {
            const session = /session_id=[^;]+/.exec(setCookie);
            if (session) {
                this.cookie = session[0];
            }
        }
        if (!res.ok) {
            throw new OdooRpcError(`HTTP ${res.status} on ${route}`);
        }
        const parsed = jsonrpc.parseObject(await res.json());
        if (parsed.type === "error") {
            const data = parsed.payload.error.data || {};
            throw new OdooRpcError(data.message || parsed.payload.error.message, data);
        }
        if (parsed.type !== "success") {
            throw new OdooRpcError(`Unexpected JSON-RPC answer on ${route}: ${parsed.type}`);
        }
        return parsed.payload.result;
    }

    async login(db, login, password) {
        const result = await this.post("/web/session/authenticate", { db, login, password });
        if (!result || !result.uid) {
            throw new OdooRpcError(`Login refused for ${login}`);
        }
        this.uid = result.uid;
        return result;
    }

    call(model, method, args = [], kwargs = {}) {
        return this.post(`/web/dataset/call_kw/${model}/${method}`, { model, method, args, kwargs });
    }

    create(model, values, context) {
        return this.call(model, "create", [values], context ? { context } : {});
    }

    write(model, ids, values) {
        return this.call(model, "write", [ids, values]);
    }

    searchRead(model, domain, fields, kwargs = {}) {
        return this.call(model, "search_read", [domain, fields], kwargs);
    }

    async ref(xmlid) {
        const [module, name] = xmlid.split(".");
        const rows = await this.searchRead("ir.model.data", [["module", "=", module], ["name", "=", name]], ["res_id"]);
        if (!rows.length) {
            throw new OdooRpcError(`No record ${xmlid}`);
        }
        return rows[0].res_id;
    }
}
