// Typed facade of @web/views/fields/standard_field_props.
export const standardFieldProps: {
    id: { type: StringConstructor; optional: true };
    name: { type: StringConstructor };
    readonly: { type: BooleanConstructor; optional: true };
    record: { type: ObjectConstructor };
};
