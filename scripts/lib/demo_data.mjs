// Demo data seeded through JSON-RPC, the way an integrator would feed Odoo:
// customers, a billed and an unbilled helpdesk team, closed and open cases
// with time logged on them, some of it of two work types (on-site work and
// after-hours support, at their own prices), and a case with a material used on it.
export const DEMO_MARKER_TEAM = "Support (case billing)";

async function ensurePartner(rpc, values) {
    const found = await rpc.searchRead("res.partner", [["name", "=", values.name]], ["id"], { limit: 1 });
    return found.length ? found[0].id : rpc.create("res.partner", values);
}

export async function isSeeded(rpc) {
    const teams = await rpc.searchRead("helpdesk.ticket.team", [["name", "=", DEMO_MARKER_TEAM]], ["id"], { limit: 1 });
    return teams.length > 0;
}

export async function seedDemo(rpc) {
    if (await isSeeded(rpc)) {
        return { seeded: false };
    }
    const stage = {
        new: await rpc.ref("helpdesk_mgmt.helpdesk_ticket_stage_new"),
        inProgress: await rpc.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress"),
        done: await rpc.ref("helpdesk_mgmt.helpdesk_ticket_stage_done"),
    };

    const acme = await ensurePartner(rpc, { name: "Acme Corporation", is_company: true, email: "office@acme.example", city: "Rotterdam" });
    const acmeAlice = await ensurePartner(rpc, { name: "Alice Martens", parent_id: acme, email: "alice@acme.example" });
    const acmeBob = await ensurePartner(rpc, { name: "Bob de Vries", parent_id: acme, email: "bob@acme.example" });
    const bright = await ensurePartner(rpc, { name: "Brightline Dental", is_company: true, email: "info@brightline.example", city: "Milano" });
    const brightGiulia = await ensurePartner(rpc, { name: "Giulia Rossi", parent_id: bright, email: "giulia@brightline.example" });
    const cobalt = await ensurePartner(rpc, { name: "Cobalt Logistics", is_company: true, email: "it@cobalt.example", city: "Kraków" });

    // Work types: services sold by the hour, next to the team's "Helpdesk work
    // (hour)" at 60.00; after hours is 1.5 times that.
    const hour = await rpc.ref("uom.product_uom_hour");
    const workType = {
        onSite: await rpc.create("product.product", {
            name: "On-site work (hour)", type: "service", uom_id: hour, list_price: 75,
        }),
        afterHours: await rpc.create("product.product", {
            name: "After-hours support (hour)", type: "service", uom_id: hour, list_price: 90,
        }),
    };

    // Brightline Dental has negotiated rates: its pricelist bills the team's
    // hour at 50.00 from the first of January, from one hour a case.
    const settings = await rpc.create("res.config.settings", { group_product_pricelist: true });
    await rpc.call("res.config.settings", "execute", [[settings]]);
    const helpdeskHour = await rpc.ref("helpdesk_case_billing.product_helpdesk_work_hour");
    const [{ product_tmpl_id: [helpdeskHourTemplate] }] = await rpc.searchRead("product.product", [["id", "=", helpdeskHour]], ["product_tmpl_id"]);
    const contractRates = await rpc.create("product.pricelist", {
        name: "Brightline contract rates",
        item_ids: [[0, 0, {
            applied_on: "1_product", product_tmpl_id: helpdeskHourTemplate, compute_price: "fixed", fixed_price: 50,
            min_quantity: 1, date_start: `${new Date().getFullYear()}-01-01 00:00:00`,
        }]],
    });
    await rpc.write("res.partner", [bright], { property_product_pricelist: contractRates });

    const project = await rpc.create("project.project", { name: "Helpdesk support", allow_timesheets: true });
    const billedTeam = await rpc.create("helpdesk.ticket.team", {
        name: DEMO_MARKER_TEAM,
        default_project_id: project,
        case_billing_enabled: true,
        case_billing_unit_minutes: 15,
        case_billing_mode: "time",
    });
    const internalProject = await rpc.create("project.project", { name: "Internal IT", allow_timesheets: true });
    const internalTeam = await rpc.create("helpdesk.ticket.team", {
        name: "Internal IT (not billed)",
        default_project_id: internalProject,
        case_billing_enabled: false,
    });

    // A spare part used on a case: billed with the case, on the same invoice.
    const dock = await rpc.create("product.product", {
        name: "USB-C docking station", type: "consu", list_price: 189, sale_ok: true,
    });
    const cases = [
        { name: "Printer on 2nd floor jams", partner: acmeAlice, team: billedTeam, project, stage: stage.done,
          solution: "<p>Replaced the fuser unit and cleaned the paper path.</p>", minutes: [20] },
        { name: "VPN drops every hour", partner: acmeBob, team: billedTeam, project, stage: stage.done,
          solution: "<p>Raised the IKE lifetime on the firewall to 8 hours.</p>", minutes: [45, 30],
          workTypes: [null, workType.afterHours] },
        { name: "New laptop for the sales desk", partner: acme, team: billedTeam, project, stage: stage.done,
          solution: "<p>Installed and enrolled the laptop, migrated the profile.</p>", minutes: [30, 90],
          workTypes: [null, workType.onSite],
          materials: [{ product_id: dock, quantity: 1, name: "USB-C docking station for the sales desk" }] },
        { name: "Mailbox full", partner: acmeAlice, team: billedTeam, project, stage: stage.inProgress,
          solution: "", minutes: [10] },
        { name: "X-ray viewer crashes on start", partner: brightGiulia, team: billedTeam, project, stage: stage.done,
          solution: "<p>Updated the graphics driver; the viewer starts again.</p>", minutes: [35] },
        { name: "Backup report shows warnings", partner: bright, team: billedTeam, project, stage: stage.done,
          solution: "", minutes: [25] },
        { name: "Label printer offline", partner: cobalt, team: billedTeam, project, stage: stage.new,
          solution: "", minutes: [] },
        { name: "Password reset for a warehouse account", partner: cobalt, team: billedTeam, project, stage: stage.done,
          solution: "<p>Reset the password and enabled self-service reset.</p>", minutes: [] },
        { name: "Office Wi-Fi slow in meeting room", partner: acmeBob, team: internalTeam, project: internalProject, stage: stage.done,
          solution: "<p>Moved the access point to channel 36.</p>", minutes: [40] },
    ];
    const ticketIds = [];
    for (const c of cases) {
        const id = await rpc.create("helpdesk.ticket", {
            name: c.name,
            description: `<p>${c.name}.</p>`,
            partner_id: c.partner,
            team_id: c.team,
            project_id: c.project,
        });
        for (const [i, minutes] of c.minutes.entries()) {
            const work = c.workTypes?.[i];
            await rpc.create("account.analytic.line", {
                name: i === 0 ? "Diagnosis and fix" : work === workType.onSite ? "On-site installation" : "Follow-up",
                ticket_id: id,
                project_id: c.project,
                unit_amount: minutes / 60,
                ...(work ? { case_work_type_id: work } : {}),
            });
        }
        for (const material of c.materials ?? []) {
            await rpc.create("helpdesk.ticket.material", { ticket_id: id, ...material });
        }
        const values = { stage_id: c.stage };
        if (c.solution) {
            values.solution = c.solution;
        }
        await rpc.write("helpdesk.ticket", [id], values);
        ticketIds.push(id);
    }
    const prepaid = await seedPrepaidHours(rpc, { stage, cobalt, bright, brightGiulia });
    return {
        seeded: true, ticketIds: [...ticketIds, ...prepaid.ticketIds],
        teams: { billedTeam, internalTeam, prepaidTeam: prepaid.team }, partners: { acme, bright, cobalt }, workTypes: workType,
    };
}

/** A team that bills on prepaid sales orders: one customer nearly out of hours, one over. */
async function seedPrepaidHours(rpc, { stage, cobalt, bright, brightGiulia }) {
    const hour = await rpc.ref("uom.product_uom_hour");
    const product = await rpc.create("product.product", {
        name: "Support pack (prepaid hours)", type: "service", invoice_policy: "order",
        service_type: "timesheet", uom_id: hour, list_price: 90,
    });
    const order = async (partner, hours) => {
        const id = await rpc.create("sale.order", {
            partner_id: partner, order_line: [[0, 0, { product_id: product, product_uom_qty: hours }]],
        });
        await rpc.call("sale.order", "action_confirm", [[id]]);
        return id;
    };
    await order(cobalt, 10);
    await order(bright, 2);
    const project = await rpc.create("project.project", { name: "Prepaid support", allow_timesheets: true });
    const team = await rpc.create("helpdesk.ticket.team", {
        name: "Prepaid support (sales orders)", default_project_id: project,
        case_billing_enabled: true, case_billing_sale_order: true,
    });
    // Parts used on a case on an order become items of that order.
    const battery = await rpc.create("product.product", {
        name: "Scanner battery pack", type: "consu", list_price: 39.5, sale_ok: true,
    });
    const cases = [
        { name: "Migrate the warehouse scanners", partner: cobalt, minutes: [360], stage: stage.done,
          solution: "<p>Migrated 14 scanners to the new firmware.</p>",
          materials: [{ product_id: battery, quantity: 3 }] },
        { name: "Train the night shift on the new WMS", partner: cobalt, minutes: [120, 75], stage: stage.inProgress },
        { name: "Imaging server upgrade", partner: brightGiulia, minutes: [90, 60], stage: stage.inProgress },
    ];
    const ticketIds = [];
    for (const c of cases) {
        // The case takes the customer's prepaid line by itself (most recent with time left).
        const id = await rpc.create("helpdesk.ticket", {
            name: c.name, description: `<p>${c.name}.</p>`, partner_id: c.partner, team_id: team, project_id: project,
        });
        for (const minutes of c.minutes) {
            await rpc.create("account.analytic.line", { name: "Work on site", ticket_id: id, project_id: project, unit_amount: minutes / 60 });
        }
        for (const material of c.materials ?? []) {
            await rpc.create("helpdesk.ticket.material", { ticket_id: id, ...material });
        }
        await rpc.write("helpdesk.ticket", [id], { stage_id: c.stage, ...(c.solution ? { solution: c.solution } : {}) });
        ticketIds.push(id);
    }
    return { team, ticketIds };
}
