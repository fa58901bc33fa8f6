import { Component, onWillRender } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";
import { formatHoursMinutes } from "@helpdesk_case_billing/js/core/billing_units";
import { many2oneValue } from "@helpdesk_case_billing/js/core/record_values";
import {
    remainingInForm,
    remainingLevel,
    sumHours,
    type RemainingLevel,
    type SavedLine,
} from "../core/remaining_hours";
import type { FieldDescriptor, Many2OneValue, OdooRecord, StandardFieldProps } from "../types/odoo";

const LEVEL_CLASS: Record<RemainingLevel, string> = {
    ok: "text-bg-success",
    low: "text-bg-warning",
    out: "text-bg-danger",
};

interface X2ManyList {
    records: Array<{ data: Record<string, unknown> }>;
}

interface IndicatorProps {
    record: OdooRecord;
    readonly?: boolean;
}

/**
 * "Remaining on SO: 3:15" on the ticket form: the prepaid hours left on the
 * case's sales-order line, less the time typed in the form and not saved yet.
 * Recomputed on every render from the form's data, with no server call.
 */
export class RemainingHoursIndicator extends Component<IndicatorProps> {
    static override template = "helpdesk_case_billing_sale_timesheet.RemainingHoursIndicator";
    static override props = { ...standardWidgetProps };

    /** What the server said of the saved line, taken whenever the form holds no unsaved change. */
    private saved: SavedLine = { lineId: 0, remaining: 0, logged: 0 };

    override setup(): void {
        this.snapshot();
        onWillRender(() => this.snapshot());
    }

    get line(): Many2OneValue | null {
        return many2oneValue(this.props.record.data.sale_line_id);
    }

    get loggedInForm(): number {
        const list = this.props.record.data.timesheet_ids as X2ManyList | undefined;
        return sumHours((list?.records || []).map((r) => r.data.unit_amount as number));
    }

    private snapshot(): void {
        const record = this.props.record;
        if (!record.dirty) {
            this.saved = {
                lineId: this.line?.id || 0,
                remaining: Number(record.data.sale_line_remaining_hours || 0),
                logged: this.loggedInForm,
            };
        }
    }

    get remaining(): number {
        return remainingInForm(
            this.saved,
            this.line?.id || 0,
            Number(this.props.record.data.sale_line_remaining_hours || 0),
            this.loggedInForm,
        );
    }

    get level(): RemainingLevel {
        const ratio = Number(this.props.record.data.remaining_hours_threshold ?? 10) / 100;
        return remainingLevel(this.remaining, Number(this.props.record.data.sale_line_sold_hours || 0), ratio);
    }

    get badgeClass(): string {
        return `badge fs-6 ${LEVEL_CLASS[this.level]}`;
    }

    get label(): string {
        // An overrun is said as such, not as a negative time left.
        if (this.remaining < 0) {
            return _t("%s over the hours sold", formatHoursMinutes(-this.remaining));
        }
        return _t("Remaining on SO: %s", formatHoursMinutes(this.remaining));
    }

    get title(): string {
        return this.level === "out"
            ? _t("The hours sold on %s are used up.", this.line?.display_name || "")
            : _t("Hours left on %s, counting unsaved time lines.", this.line?.display_name || "");
    }
}

registry.category("view_widgets").add("case_remaining_hours", {
    component: RemainingHoursIndicator,
    fieldDependencies: [
        { name: "sale_line_id", type: "many2one", relation: "sale.order.line" },
        { name: "sale_line_remaining_hours", type: "float" },
        { name: "sale_line_sold_hours", type: "float" },
        { name: "remaining_hours_threshold", type: "integer" },
    ],
});

interface BadgeProps extends StandardFieldProps {
    soldField?: string;
    thresholdField?: string;
}

/** The same colours on a stored remaining-hours figure, for lists and kanban cards. */
export class RemainingHoursBadge extends Component<BadgeProps> {
    static override template = "helpdesk_case_billing_sale_timesheet.RemainingHoursBadge";
    static override props = {
        ...standardFieldProps,
        soldField: { type: String, optional: true },
        thresholdField: { type: String, optional: true },
    };

    get value(): number {
        return Number(this.props.record.data[this.props.name] || 0);
    }

    get level(): RemainingLevel {
        const sold = this.props.soldField ? Number(this.props.record.data[this.props.soldField] || 0) : 0;
        const threshold = this.props.thresholdField ? Number(this.props.record.data[this.props.thresholdField] ?? 10) : 10;
        return remainingLevel(this.value, sold, threshold / 100);
    }

    get badgeClass(): string {
        return `badge ${LEVEL_CLASS[this.level]}`;
    }

    get text(): string {
        return formatHoursMinutes(this.value);
    }
}

export const remainingHoursBadge: FieldDescriptor = {
    component: RemainingHoursBadge,
    displayName: _t("Remaining hours"),
    supportedTypes: ["float"],
    extractProps: ({ options }) => ({
        soldField: typeof options.sold_field === "string" ? options.sold_field : undefined,
        thresholdField: typeof options.threshold_field === "string" ? options.threshold_field : undefined,
    }),
    // The view need not list the fields named in the options.
    fieldDependencies: ({ options }) => [
        ...(typeof options.sold_field === "string" ? [{ name: options.sold_field, type: "float" }] : []),
        ...(typeof options.threshold_field === "string" ? [{ name: options.threshold_field, type: "integer" }] : []),
    ],
};

registry.category<FieldDescriptor>("fields").add("remaining_hours_badge", remainingHoursBadge);
