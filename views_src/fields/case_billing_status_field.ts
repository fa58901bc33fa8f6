import { Component, onWillStart, useState } from "@odoo/owl";
import { Dropdown } from "@web/core/dropdown/dropdown";
import { DropdownItem } from "@web/core/dropdown/dropdown_item";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { parseBlockers } from "../core/case_grid";
import { many2oneValue } from "../core/record_values";
import type { ActionService, FieldDescriptor, Many2OneValue, OrmService, StandardFieldProps } from "../types/odoo";

export const BILLING_GROUP = "helpdesk_case_billing.group_case_billing";

interface StatusOption {
    id: number;
    name: string;
    color: number;
    kind: "not_billable" | "billable" | "billed";
}

interface Props extends StandardFieldProps {
    colorField?: string;
    showReasons?: boolean;
}

/**
 * Where the billing of a case stands ("Not ready", "Ready to bill", "Invoiced
 * INV/…", or the state an extension gives it), the reasons it is not billable
 * yet, its financial status — with a menu to change it for users with the
 * billing right — and the invoice that billed it.
 */
export class CaseBillingStatusField extends Component<Props> {
    static override template = "helpdesk_case_billing.CaseBillingStatusField";
    static components = { Dropdown, DropdownItem };
    static override props = {
        ...standardFieldProps,
        colorField: { type: String, optional: true },
        showReasons: { type: Boolean, optional: true },
    };

    orm!: OrmService;
    action!: ActionService;
    state!: { canBill: boolean; options: StatusOption[] };

    override setup(): void {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ canBill: false, options: [] as StatusOption[] });
        onWillStart(async () => {
            this.state.canBill = await user.hasGroup(BILLING_GROUP);
        });
    }

    get status(): Many2OneValue | null {
        return many2oneValue(this.props.record.data[this.props.name]);
    }

    get color(): number {
        const field = this.props.colorField || "billing_status_color";
        return Number(this.props.record.data[field] ?? 0) || 0;
    }

    /** The state code, e.g. "not_ready", "invoiced", "quoted". */
    get billingState(): string {
        return String(this.props.record.data.billing_state || "");
    }

    get billingStateLabel(): string {
        return String(this.props.record.data.billing_state_label || "");
    }

    get stateBadgeClass(): string {
        const color = String(this.props.record.data.billing_state_color || "secondary");
        return `badge rounded-pill text-bg-${color} o_case_billing_state`;
    }

    get badgeClass(): string {
        return `badge rounded-pill o_badge_color_${this.color}`;
    }

    get blockers(): string[] {
        if (this.isBilled) {
            // Billed cases are not "not billable yet": their invoice is shown instead.
            return [];
        }
        return parseBlockers(this.props.record.data.billing_blockers as string | false);
    }

    get blockersTooltip(): string {
        const blockers = this.blockers;
        if (!blockers.length) {
            return "";
        }
        // Not inside a template literal: Odoo's string extraction would miss it.
        const heading = _t("Not billable yet:");
        return [heading, ...blockers.map((b) => `• ${b}`)].join("\n");
    }

    get invoice(): Many2OneValue | null {
        return many2oneValue(this.props.record.data.invoice_id);
    }

    get isBilled(): boolean {
        return this.props.record.data.billing_kind === "billed";
    }

    /** Billed is set by invoicing only; a billed case's status is changed by cancelling its invoice. */
    get canChange(): boolean {
        return this.state.canBill && !this.props.readonly && !this.isBilled;
    }

    get emptyLabel(): string {
        return _t("No financial status");
    }

    async loadOptions(): Promise<void> {
        if (this.state.options.length) {
            return;
        }
        this.state.options = await this.orm.searchRead<StatusOption>(
            "helpdesk.ticket.billing.status",
            [["kind", "!=", "billed"]],
            ["name", "color", "kind"],
            { order: "sequence, id" },
        );
    }

    async onSelect(option: StatusOption): Promise<void> {
        const record = this.props.record;
        const inForm = record.isInEdition;
        await record.update({ [this.props.name]: { id: option.id, display_name: option.name } }, { save: !inForm });
    }

    async openInvoice(): Promise<void> {
        const invoice = this.invoice;
        if (!invoice) {
            return;
        }
        await this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "account.move",
            res_id: invoice.id,
            views: [[false, "form"]],
            target: "current",
        });
    }
}

export const caseBillingStatusField: FieldDescriptor = {
    component: CaseBillingStatusField,
    displayName: _t("Financial status"),
    supportedTypes: ["many2one"],
    fieldDependencies: [
        { name: "billing_status_color", type: "integer" },
        { name: "billing_blockers", type: "text" },
        { name: "billing_kind", type: "selection" },
        { name: "invoice_id", type: "many2one", relation: "account.move" },
        { name: "billing_state", type: "char" },
        { name: "billing_state_label", type: "char" },
        { name: "billing_state_color", type: "char" },
    ],
    extractProps: ({ options }) => ({
        colorField: typeof options.color_field === "string" ? options.color_field : undefined,
        showReasons: Boolean(options.show_reasons),
    }),
};

registry.category<FieldDescriptor>("fields").add("case_billing_status", caseBillingStatusField);
