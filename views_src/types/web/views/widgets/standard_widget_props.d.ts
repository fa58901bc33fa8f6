// Typed facade of @web/views/widgets/standard_widget_props.
export const standardWidgetProps: {
    readonly: { type: BooleanConstructor; optional: true };
    record: { type: ObjectConstructor };
};
