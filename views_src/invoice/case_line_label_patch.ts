import { ProductLabelSectionAndNoteField } from "@account/components/product_label_section_and_note_field/product_label_section_and_note_field";
import { patch } from "@web/core/utils/patch";
import { caseLineLabelUnderProduct } from "../core/case_line_label";

// Only the lines of helpdesk cases: every other line reads as Odoo shows it.
patch(ProductLabelSectionAndNoteField.prototype, {
    get label(): string {
        const data = this.props.record.data;
        const label = data[this.descriptionColumn];
        if (!data.helpdesk_ticket_id || typeof label !== "string") {
            return super.label;
        }
        return caseLineLabelUnderProduct(label, this.productName);
    },
});
