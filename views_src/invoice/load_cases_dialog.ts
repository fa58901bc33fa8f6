import { Component, onMounted, onWillStart, useRef, useState } from "@odoo/owl";
import { hasTouch } from "@web/core/browser/feature_detection";
import { DateTimeInput } from "@web/core/datetime/datetime_input";
import { Dialog } from "@web/core/dialog/dialog";
import { deserializeDate, deserializeDateTime, formatDate } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { useService } from "@web/core/utils/hooks";
import type { DateTime } from "luxon";
import { formatHoursMinutes } from "../core/billing_units";
import type { UnitGroup } from "../core/billing_totals";
// The grid's pure logic, one namespace: core/case_grid.
import * as grid from "../core/case_grid";
import type { CaseRow, GridFilter, SortDirection, SortKey } from "../core/case_grid";
import type { OrmService, UiService } from "../types/odoo";
import { formatAmount, selectionSummary } from "./billing_totals_text";

/** The context key naming the invoice the estimates of the cases are priced for. */
export const INVOICE_CONTEXT = "helpdesk_case_billing_invoice_id";

/** What the grid reads of a case: one search_read, only these fields. */
export const CASE_FIELDS = [
    "number", "name", "team_id", "closed_date", "billing_duration_hours", "billing_units",
    "billing_unit_minutes", "billing_billed_hours", "billing_unit_label", "billing_amount_estimate", "is_billable_now",
    "billing_blockers",
] as const;

interface CaseRecord {
    id: number;
    number: string;
    name: string;
    team_id: [number, string] | false;
    closed_date: string | false;
    billing_duration_hours: number;
    billing_units: number;
    billing_unit_minutes: number;
    billing_billed_hours: number;
    billing_unit_label: string | false;
    billing_amount_estimate: number;
    is_billable_now: boolean;
    billing_blockers: string | false;
}

/** What action_add_helpdesk_cases answers: the figures of the cases added. */
export interface AddCasesResult {
    case_count: number;
    /** Billable time spent on the cases added, in hours. */
    spent_hours: number;
    /** Time billed by the added lines, in hours. */
    billed_hours: number;
    /** Billing units added up per length (0 minutes: flat rates). */
    units: UnitGroup[];
    /** Untaxed amount of the added lines, in the invoice's currency. */
    amount: number;
    line_ids: number[];
}

interface Props {
    moveId: number;
    companyId?: number | null;
    commercialPartnerId: number;
    partnerName: string;
    currencyId: number | null;
    onCasesAdded: (result: AddCasesResult) => Promise<void> | void;
    close: () => void;
}

interface DialogState {
    loading: boolean;
    adding: boolean;
    rows: CaseRow[];
    filter: GridFilter;
    sort: { key: SortKey; direction: SortDirection };
    selected: Set<number>;
    cursor: number;
    scrollTop: number;
    error: string;
}

const ROW_HEIGHT = 36;
const VIEWPORT_HEIGHT = 432;
// On a phone each case is a card of four lines: number and amount, title and
// reasons, team and day, time and units.
const CARD_HEIGHT = 132;
const CARD_VIEWPORT_HEIGHT = 396;

export function caseRowFromRecord(record: CaseRecord): CaseRow {
    return {
        id: record.id,
        number: record.number,
        title: record.name,
        teamId: record.team_id ? record.team_id[0] : null,
        teamName: record.team_id ? record.team_id[1] : "",
        closedDay: record.closed_date ? deserializeDateTime(record.closed_date).toISODate() : null,
        hours: record.billing_duration_hours,
        units: record.billing_units,
        unitMinutes: record.billing_unit_minutes,
        billedHours: record.billing_billed_hours,
        unitLabel: record.billing_unit_label || "",
        amount: record.billing_amount_estimate,
        billable: record.is_billable_now,
        blockers: grid.parseBlockers(record.billing_blockers),
    };
}

/** The customer's cases in a grid; the chosen ones become invoice lines in one server call. */
export class LoadCasesDialog extends Component<Props> {
    static override template = "helpdesk_case_billing.LoadCasesDialog";
    static components = { Dialog, DateTimeInput };
    static override props = {
        moveId: Number,
        companyId: { type: [Number, { value: null }], optional: true },
        commercialPartnerId: Number,
        partnerName: String,
        currencyId: { type: [Number, { value: null }], optional: true },
        onCasesAdded: Function,
        close: Function,
    };

    orm!: OrmService;
    ui!: UiService;
    gridRef!: { el: HTMLElement | null };
    state!: DialogState;
    readonly columns: Array<{ key: SortKey; label: string; numeric: boolean }> = [
        { key: "number", label: _t("Number"), numeric: false },
        { key: "title", label: _t("Title"), numeric: false },
        { key: "teamName", label: _t("Team"), numeric: false },
        { key: "closedDay", label: _t("Closed on"), numeric: false },
        // Time marked not billable is never billed, nor counted here.
        { key: "hours", label: _t("Billable time"), numeric: true },
        { key: "units", label: _t("Billed"), numeric: true },
        { key: "amount", label: _t("Amount"), numeric: true },
    ];

    override setup(): void {
        this.orm = useService("orm");
        // Reactive: turning a tablet, or resizing, switches rows and cards.
        this.ui = useState(useService("ui"));
        this.gridRef = useRef("grid");
        this.state = useState<DialogState>({
            loading: true,
            adding: false,
            rows: [],
            filter: { ...grid.EMPTY_FILTER },
            sort: { key: "number", direction: "asc" },
            selected: new Set<number>(),
            cursor: -1,
            scrollTop: 0,
            error: "",
        });
        onWillStart(() => this.loadCases());
        onMounted(() => this.gridRef.el?.focus());
    }

    async loadCases(): Promise<void> {
        const records = await this.orm.searchRead<CaseRecord>(
            "helpdesk.ticket",
            [
                ["commercial_partner_id", "=", this.props.commercialPartnerId],
                ["case_billing_enabled", "=", true],
                ["invoice_id", "=", false],
                // Only the invoice's company: the server refuses the others.
                ...(this.props.companyId ? [["company_id", "=", this.props.companyId] as [string, string, unknown]] : []),
            ],
            [...CASE_FIELDS],
            // The estimates are priced for this invoice: its customer's
            // pricelist, its date and its currency, as the lines added.
            { order: "number asc", context: { [INVOICE_CONTEXT]: this.props.moveId } },
        );
        this.state.rows = records.map(caseRowFromRecord);
        this.state.loading = false;
    }

    /** Cards instead of columns, on a phone-sized screen. */
    get compact(): boolean {
        return this.ui.isSmall;
    }

    get rowHeight(): number {
        return this.compact ? CARD_HEIGHT : ROW_HEIGHT;
    }

    get viewportHeight(): number {
        return this.compact ? CARD_VIEWPORT_HEIGHT : VIEWPORT_HEIGHT;
    }

    /** Keys are offered only where there is a keyboard to press them. */
    get showKeyboardHints(): boolean {
        return !this.compact && !hasTouch();
    }

    get title(): string {
        return _t("Helpdesk cases of %s", this.props.partnerName);
    }

    get teams(): Array<{ id: number; name: string }> {
        const teams = new Map<number, string>();
        for (const row of this.state.rows) {
            if (row.teamId !== null) {
                teams.set(row.teamId, row.teamName);
            }
        }
        return [...teams].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
    }

    get visibleRows(): CaseRow[] {
        const { key, direction } = this.state.sort;
        return grid.sortCases(grid.filterCases(this.state.rows, this.state.filter), key, direction);
    }

    get hiddenNotBillableCount(): number {
        return this.state.rows.filter((row) => !row.billable).length;
    }

    get gridWindow() {
        const rows = this.visibleRows;
        const win = grid.visibleWindow(this.state.scrollTop, this.viewportHeight, this.rowHeight, rows.length);
        return { ...win, rows: rows.slice(win.start, win.end).map((row, i) => ({ row, index: win.start + i })) };
    }

    get totals() {
        return grid.selectionTotals(this.state.rows, this.state.selected);
    }

    get allSelected(): boolean {
        return grid.allVisibleSelected(this.state.selected, this.visibleRows);
    }

    get summary(): string {
        return selectionSummary(this.totals, this.props.currencyId ?? null);
    }

    get addLabel(): string {
        const count = this.state.selected.size;
        return count === 1 ? _t("Add 1 case") : _t("Add %s cases", count);
    }

    formatAmount(amount: number): string {
        return formatAmount(amount, this.props.currencyId ?? null);
    }

    formatDay(day: string | null): string {
        return day ? formatDate(deserializeDateTime(`${day} 12:00:00`)) : "";
    }

    formatHours(hours: number): string {
        return formatHoursMinutes(hours);
    }

    blockerText(row: CaseRow): string {
        return row.blockers.join("\n");
    }

    sortIcon(key: SortKey): string {
        if (this.state.sort.key !== key) {
            return "";
        }
        return this.state.sort.direction === "asc" ? "fa fa-angle-up" : "fa fa-angle-down";
    }

    onSort(key: SortKey): void {
        this.state.sort = grid.nextSort(this.state.sort, key);
    }

    onFilterText(ev: Event): void {
        this.state.filter.text = (ev.target as HTMLInputElement).value;
        this.resetScroll();
    }

    onFilterTeam(ev: Event): void {
        const value = (ev.target as HTMLSelectElement).value;
        this.state.filter.teamId = value ? Number(value) : null;
        this.resetScroll();
    }

    /** The day of a date filter as Odoo's date input takes it. */
    filterDay(bound: "closedFrom" | "closedTo"): DateTime | false {
        const day = this.state.filter[bound];
        return day ? deserializeDate(day) : false;
    }

    /** A day chosen in Odoo's date picker (in the user's language and format), or cleared. */
    onFilterDate(bound: "closedFrom" | "closedTo", value: DateTime | false | null): void {
        this.state.filter[bound] = value ? value.toISODate() : null;
        this.resetScroll();
    }

    onToggleNotBillable(ev: Event): void {
        this.state.filter.showNotBillable = (ev.target as HTMLInputElement).checked;
        this.resetScroll();
    }

    resetScroll(): void {
        this.state.cursor = -1;
        this.state.scrollTop = 0;
        if (this.gridRef.el) {
            this.gridRef.el.scrollTop = 0;
        }
    }

    onScroll(ev: Event): void {
        this.state.scrollTop = (ev.target as HTMLElement).scrollTop;
    }

    onToggleAll(): void {
        const visible = this.visibleRows;
        this.state.selected = this.allSelected
            ? grid.selectNoneVisible(this.state.selected, visible)
            : grid.selectAllVisible(this.state.selected, visible);
    }

    onRowClick(row: CaseRow, index: number): void {
        this.state.cursor = index;
        this.state.selected = grid.toggleCase(this.state.selected, row);
    }

    onGridKeydown(ev: KeyboardEvent): void {
        const rows = this.visibleRows;
        const moves: Record<string, number> = {
            ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10, Home: -rows.length, End: rows.length,
        };
        if (ev.key in moves) {
            ev.preventDefault();
            this.state.cursor = grid.moveCursor(this.state.cursor, moves[ev.key]!, rows.length);
            this.reveal(this.state.cursor);
        } else if (ev.key === " ") {
            ev.preventDefault();
            const row = rows[this.state.cursor];
            if (row) {
                this.state.selected = grid.toggleCase(this.state.selected, row);
            }
        } else if (ev.key === "Enter") {
            ev.preventDefault();
            void this.onConfirm();
        } else if (ev.key === "a" && (ev.ctrlKey || ev.metaKey)) {
            ev.preventDefault();
            this.onToggleAll();
        }
    }

    reveal(index: number): void {
        const el = this.gridRef.el;
        if (!el || index < 0) {
            return;
        }
        const top = grid.scrollToReveal(index, el.scrollTop, el.clientHeight, this.rowHeight);
        if (top !== null) {
            el.scrollTop = top;
            this.state.scrollTop = top;
        }
    }

    async onConfirm(): Promise<void> {
        if (this.state.adding || !this.state.selected.size) {
            return;
        }
        this.state.adding = true;
        this.state.error = "";
        try {
            const ids = this.state.rows.filter((row) => this.state.selected.has(row.id)).map((row) => row.id);
            const result = await this.orm.call<AddCasesResult>(
                "account.move", "action_add_helpdesk_cases", [[this.props.moveId], ids],
            );
            await this.props.onCasesAdded(result);
            this.props.close();
        } catch (error) {
            // The server refused: show its words, nothing was added.
            this.state.error = serverMessage(error);
            this.state.adding = false;
        }
    }
}

export function serverMessage(error: unknown): string {
    const data = (error as { data?: { message?: string } } | null)?.data;
    if (data?.message) {
        return data.message;
    }
    return error instanceof Error ? error.message : String(error);
}

