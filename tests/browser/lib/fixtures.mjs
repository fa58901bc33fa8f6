// Fixtures of the browser tests, created through JSON-RPC as an integrator would.
let counter = 0;

function unique(label) {
    counter += 1;
    return `${label} ${process.pid}-${counter}`;
}

export async function billingTeam(rpc, values = {}) {
    const project = await rpc.create("project.project", { name: unique("Support project"), allow_timesheets: true });
    const team = await rpc.create("helpdesk.ticket.team", {
        name: unique("Billed support"),
        default_project_id: project,
        case_billing_enabled: true,
        case_billing_unit_minutes: 15,
        case_billing_mode: "time",
        ...values,
    });
    return { team, project };
}

export async function customer(rpc) {
    const company = await rpc.create("res.partner", { name: unique("Customer"), is_company: true });
    const contact = await rpc.create("res.partner", { name: unique("Contact"), parent_id: company });
    return { company, contact };
}

/** A case closed with a solution and `minutes` of time logged: billable now. */
export async function closedCase(rpc, { team, project, partner, minutes = 20, title = "Printer jams" }) {
    const ticket = await rpc.create("helpdesk.ticket", {
        name: title,
        description: `<p>${title}</p>`,
        team_id: team,
        project_id: project,
        partner_id: partner,
    });
    if (minutes) {
        await rpc.create("account.analytic.line", {
            name: "Work on the case",
            ticket_id: ticket,
            project_id: project,
            unit_amount: minutes / 60,
        });
    }
    const done = await rpc.ref("helpdesk_mgmt.helpdesk_ticket_stage_done");
    await rpc.write("helpdesk.ticket", [ticket], { stage_id: done, solution: "<p>Fixed it.</p>" });
    const [row] = await rpc.searchRead("helpdesk.ticket", [["id", "=", ticket]], ["number", "name"]);
    return { id: ticket, number: row.number, name: row.name };
}

export async function draftInvoice(rpc, partner) {
    return rpc.create("account.move", { move_type: "out_invoice", partner_id: partner });
}

export async function userWithoutBillingRight(rpc) {
    const login = unique("clerk").replace(/\s+/g, "-").toLowerCase();
    const groups = await Promise.all(
        ["helpdesk_mgmt.group_helpdesk_user", "account.group_account_invoice", "base.group_user"].map((x) => rpc.ref(x)),
    );
    await rpc.create("res.users", { name: `Clerk ${login}`, login, password: "clerk-password-1", group_ids: [[6, 0, groups]] });
    return { login, password: "clerk-password-1" };
}

/** The money in a formatted amount, "$ 1,019.25" → "1019.25". */
export function money(shown) {
    return /-?\d[\d,]*\.\d\d/.exec(shown)?.[0].replace(/,/g, "");
}

/** A service product sold by the hour at `price`, without taxes. */
export async function hourlyProduct(rpc, name, price) {
    const hour = await rpc.ref("uom.product_uom_hour");
    return rpc.create("product.product", {
        name: `${name} (${process.pid})`, type: "service", uom_id: hour, list_price: price, taxes_id: [[6, 0, []]],
    });
}
