// Typed facade of @web/core/datetime/datetime_input: Odoo's date input with its picker.
import type { Component } from "@odoo/owl";
import type { DateTime } from "luxon";

export interface DateTimeInputProps {
    id?: string;
    class?: string;
    type?: "date" | "datetime";
    value?: DateTime | false | null;
    placeholder?: string;
    onChange?: (value: DateTime | false | null) => void;
}

export class DateTimeInput extends Component<DateTimeInputProps> {}
