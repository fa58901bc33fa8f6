// Typed facade of @account/components/product_label_section_and_note_field/…:
// the invoice line's product and label widget, only what this addon patches.
import type { StandardFieldProps } from "../../../odoo";

export class ProductLabelSectionAndNoteField {
    props: StandardFieldProps;
    descriptionColumn: string;
    get productName(): string;
    get label(): string;
}
