import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import type { FieldDescriptor, Many2OneValue, StandardFieldProps } from "../types/odoo";

interface Props extends StandardFieldProps {
    colorField?: string;
}

/** The financial status of a case as a coloured badge. */
export class CaseBillingStatusField extends Component<Props> {
    static override template = "helpdesk_case_billing.CaseBillingStatusField";
    static override props = {
        ...standardFieldProps,
        colorField: { type: String, optional: true },
    };

    get status(): Many2OneValue | null {
        const value = this.props.record.data[this.props.name];
        return value && typeof value === "object" ? (value as Many2OneValue) : null;
    }

    get badgeClass(): string {
        const color = this.props.colorField ? Number(this.props.record.data[this.props.colorField] ?? 0) : 0;
        return `badge rounded-pill o_badge_color_${color}`;
    }

    get emptyLabel(): string {
        return _t("No financial status");
    }
}

export const caseBillingStatusField: FieldDescriptor = {
    component: CaseBillingStatusField,
    displayName: _t("Financial status"),
    supportedTypes: ["many2one"],
    extractProps: ({ options }) => ({
        colorField: typeof options.color_field === "string" ? options.color_field : undefined,
    }),
};

registry.category<FieldDescriptor>("fields").add("case_billing_status", caseBillingStatusField);
