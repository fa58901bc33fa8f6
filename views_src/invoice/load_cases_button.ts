import { Component } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";
import type { DialogService, Many2OneValue, NotificationService, OdooRecord } from "../types/odoo";
import { addedSummary } from "./billing_totals_text";
import { LoadCasesDialog, type AddCasesResult } from "./load_cases_dialog";

interface Props {
    record: OdooRecord;
    readonly?: boolean;
}

/** "Load helpdesk cases" on a draft customer invoice: opens the grid of the customer's cases. */
export class LoadCasesButton extends Component<Props> {
    static override template = "helpdesk_case_billing.LoadCasesButton";
    static override props = { ...standardWidgetProps };

    dialog!: DialogService;
    notification!: NotificationService;

    override setup(): void {
        this.dialog = useService("dialog");
        this.notification = useService("notification");
    }

    async onClick(): Promise<void> {
        const record = this.props.record;
        // The server adds lines to the saved invoice: save pending edits first.
        if (record.isNew || record.dirty) {
            const saved = await record.save();
            if (!saved) {
                return;
            }
        }
        const partner = (record.data.commercial_partner_id || record.data.partner_id) as Many2OneValue | false;
        if (!partner || !record.resId) {
            return;
        }
        const currency = record.data.currency_id as Many2OneValue | false;
        const company = record.data.company_id as Many2OneValue | false;
        this.dialog.add(LoadCasesDialog, {
            moveId: record.resId,
            companyId: company ? company.id : null,
            commercialPartnerId: partner.id,
            partnerName: partner.display_name,
            currencyId: currency ? currency.id : null,
            onCasesAdded: (result: AddCasesResult) => this.onCasesAdded(result),
        });
    }

    async onCasesAdded(result: AddCasesResult): Promise<void> {
        await this.props.record.load();
        const currency = this.props.record.data.currency_id as Many2OneValue | false;
        const totals = {
            count: result.case_count,
            hours: result.spent_hours,
            billedHours: result.billed_hours,
            units: result.units,
            amount: result.amount,
        };
        this.notification.add(addedSummary(totals, currency ? currency.id : null), { type: "success" });
    }
}

registry.category("view_widgets").add("load_helpdesk_cases", { component: LoadCasesButton });
