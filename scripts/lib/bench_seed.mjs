// Benchmark data, seeded in batches through JSON-RPC: one create() of N cases,
// one create() of their N timesheet lines, one write() closing them all; and
// the sales orders of the standard Odoo path billing the same hours.
import { billingTeam, draftInvoice } from "../../tests/browser/lib/fixtures.mjs";

/** Seeding only: no chatter message, follower or tracking per record. */
export const SEED_CONTEXT = {
    tracking_disable: true,
    mail_create_nolog: true,
    mail_create_nosubscribe: true,
    mail_notrack: true,
    mail_auto_subscribe_no_notify: true,
};

/** Time logged on each case, and what it bills at 15-minute units (2 units = 0.5 h). */
export const CASE_MINUTES = 20;
export const BILLED_HOURS_PER_CASE = 0.5;
export const HOURLY_PRICE = 80;

let sequence = 0;

function createMany(rpc, model, valsList) {
    return rpc.call(model, "create", [valsList], { context: SEED_CONTEXT });
}

/** The work-hour product shared by both paths: service, invoiced on order, in hours. */
export async function benchSetup(rpc) {
    const hour = await rpc.ref("uom.product_uom_hour");
    const [product] = await createMany(rpc, "product.product", [{
        name: "Support hour (benchmark)",
        type: "service",
        invoice_policy: "order",
        uom_id: hour,
        list_price: HOURLY_PRICE,
    }]);
    const { team, project } = await billingTeam(rpc, { case_billing_product_id: product });
    const done = await rpc.ref("helpdesk_mgmt.helpdesk_ticket_stage_done");
    return { product, team, project, done };
}

export async function customers(rpc, count) {
    const run = ++sequence;
    return createMany(rpc, "res.partner", Array.from({ length: count }, (_, i) => ({
        name: `Bench customer ${process.pid}-${run}-${i + 1}`,
        is_company: true,
    })));
}

/**
 * Billable cases, `perCustomer` for each of `partners`, with CASE_MINUTES
 * logged and closed with a solution. Returns their ids, customer by customer.
 */
export async function billableCases(rpc, setup, partners, perCustomer, workType = null) {
    const vals = [];
    for (const partner of partners) {
        for (let i = 0; i < perCustomer; i++) {
            vals.push({
                name: `Bench case ${i + 1}`,
                description: "<p>Benchmark case.</p>",
                team_id: setup.team,
                project_id: setup.project,
                partner_id: partner,
                solution: "<p>Fixed.</p>",
            });
        }
    }
    const ids = await createMany(rpc, "helpdesk.ticket", vals);
    // With a work type, each case has CASE_MINUTES of it as well: two invoice lines a case.
    await createMany(rpc, "account.analytic.line", ids.flatMap((id) => [
        { name: "Work on the case", ticket_id: id, project_id: setup.project, unit_amount: CASE_MINUTES / 60 },
        ...(workType ? [{
            name: "On-site work", ticket_id: id, project_id: setup.project, unit_amount: CASE_MINUTES / 60, case_work_type_id: workType,
        }] : []),
    ]));
    await rpc.call("helpdesk.ticket", "write", [ids, { stage_id: setup.done }], { context: SEED_CONTEXT });
    const billable = await rpc.call("helpdesk.ticket", "search_count", [[["id", "in", ids], ["is_billable_now", "=", true]]]);
    if (billable !== ids.length) {
        const [row] = await rpc.searchRead("helpdesk.ticket", [["id", "in", ids], ["is_billable_now", "=", false]], ["billing_blockers"], { limit: 1 });
        throw new Error(`Seeded ${ids.length} cases but ${billable} are billable: ${row?.billing_blockers}`);
    }
    return ids;
}

export function newDraftInvoice(rpc, partner) {
    return draftInvoice(rpc, partner);
}

/**
 * Confirmed sales orders, one per partner, each with `linesPerOrder` cases'
 * billed hours: a line per case and product of `products`.
 */
export async function confirmedOrders(rpc, setup, partners, linesPerOrder, products = [setup.product]) {
    const ids = await createMany(rpc, "sale.order", partners.map((partner) => ({
        partner_id: partner,
        order_line: Array.from({ length: linesPerOrder }, (_, i) => products.map((product) => [0, 0, {
            product_id: product,
            name: `Support work ${i + 1}`,
            product_uom_qty: BILLED_HOURS_PER_CASE,
        }])).flat(),
    })));
    await rpc.call("sale.order", "action_confirm", [ids], { context: SEED_CONTEXT });
    return ids;
}
