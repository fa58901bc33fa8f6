import { Component, onMounted, onWillUnmount } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import type { FieldDescriptor, StandardFieldProps } from "../types/odoo";

/** How often the form of a running billing run reads it again. */
export const REFRESH_MS = 2000;

/**
 * The progress bar of a billing run (its percent of cases previewed, then
 * done). While the preview or the run works in the background, the form
 * reads the run again every two seconds, so its counts, invoices, elapsed
 * time and estimated time left follow that work; it stops as soon as the
 * work is over, and never reloads a form with unsaved changes.
 */
export class RunProgressField extends Component<StandardFieldProps> {
    static override template = "helpdesk_case_billing.RunProgressField";
    static override props = { ...standardFieldProps };

    timer: number | undefined;
    loading = false;

    override setup(): void {
        onMounted(() => {
            this.timer = window.setInterval(() => void this.refresh(), REFRESH_MS);
        });
        onWillUnmount(() => window.clearInterval(this.timer));
    }

    get percent(): number {
        const value = Number(this.props.record.data[this.props.name]) || 0;
        return Math.min(100, Math.max(0, value));
    }

    get label(): string {
        return `${Math.floor(this.percent)} %`;
    }

    /** Work goes on in the background: the preview's invoices, or the run's. */
    get running(): boolean {
        const state = this.props.record.data.state;
        return state === "running" || state === "previewing";
    }

    async refresh(): Promise<void> {
        const record = this.props.record;
        if (!this.running || this.loading || record.dirty || record.isNew) {
            return;
        }
        this.loading = true;
        try {
            await record.load();
        } finally {
            this.loading = false;
        }
    }
}

export const runProgressField: FieldDescriptor = {
    component: RunProgressField,
    displayName: _t("Billing run progress"),
    supportedTypes: ["float"],
    fieldDependencies: [{ name: "state", type: "selection" }],
};

registry.category<FieldDescriptor>("fields").add("hcb_run_progress", runProgressField);
