// The sentences that tell the totals of cases, the same in the Load helpdesk
// cases dialog and in the notification after adding: billed time next to the
// billable time spent, the units with their length, the amount.
import { _t } from "@web/core/l10n/translation";
import { formatMonetary } from "@web/views/fields/formatters";
import { type BillingTotals, type UnitWords, totalsValues } from "../core/billing_totals";

export const UNIT_WORDS: UnitWords = {
    units: (units, minutes) => _t("%(units)s × %(minutes)s min", { units, minutes }),
    flatRates: (count) => (Math.abs(count) === 1 ? _t("%s flat rate", count) : _t("%s flat rates", count)),
};

export function formatAmount(amount: number, currencyId: number | null): string {
    return currencyId ? formatMonetary(amount, { currencyId }) : amount.toFixed(2);
}

/** "5 cases selected: 5:00 h billed (20 × 15 min) for 4:20 h of billable time, $ 300.00" */
export function selectionSummary(totals: BillingTotals, currencyId: number | null): string {
    if (!totals.count) {
        return _t("No case selected");
    }
    const values = totalsValues(totals, UNIT_WORDS, (amount) => formatAmount(amount, currencyId));
    return totals.count === 1
        ? _t("1 case selected: %(billed)s h billed (%(units)s) for %(spent)s h of billable time, %(amount)s", values)
        : _t("%(count)s cases selected: %(billed)s h billed (%(units)s) for %(spent)s h of billable time, %(amount)s", values);
}

/** "5 cases added to the invoice: 5:00 h billed (20 × 15 min) for 4:20 h of billable time, $ 300.00." */
export function addedSummary(totals: BillingTotals, currencyId: number | null): string {
    const values = totalsValues(totals, UNIT_WORDS, (amount) => formatAmount(amount, currencyId));
    return totals.count === 1
        ? _t("1 case added to the invoice: %(billed)s h billed (%(units)s) for %(spent)s h of billable time, %(amount)s.", values)
        : _t("%(count)s cases added to the invoice: %(billed)s h billed (%(units)s) for %(spent)s h of billable time, %(amount)s.", values);
}
