// Shapes of the Odoo web-client objects this addon touches, kept in one place.

/** A many2one value as Odoo 19's relational model holds it. */
export interface Many2OneValue {
    id: number;
    display_name: string;
}

export interface FieldInfo {
    type: string;
    string: string;
    readonly?: boolean;
    relation?: string;
}

/** The record a field widget receives (`props.record`). */
export interface OdooRecord {
    resId: number | false;
    resModel: string;
    data: Record<string, unknown>;
    fields: Record<string, FieldInfo>;
    isNew: boolean;
    dirty: boolean;
    isInEdition: boolean;
    update(changes: Record<string, unknown>, options?: { save?: boolean }): Promise<void>;
    save(options?: { reload?: boolean }): Promise<boolean>;
    load(): Promise<void>;
}

export interface StandardFieldProps {
    id?: string;
    name: string;
    readonly?: boolean;
    record: OdooRecord;
}

export type Domain = Array<string | [string, string, unknown]>;

export interface OrmService {
    call<T = unknown>(model: string, method: string, args?: unknown[], kwargs?: Record<string, unknown>): Promise<T>;
    searchRead<T = Record<string, unknown>>(
        model: string,
        domain: Domain,
        fields: string[],
        kwargs?: { limit?: number; offset?: number; order?: string; context?: Record<string, unknown> },
    ): Promise<T[]>;
    read<T = Record<string, unknown>>(model: string, ids: number[], fields: string[]): Promise<T[]>;
    write(model: string, ids: number[], values: Record<string, unknown>): Promise<boolean>;
}

export interface NotificationService {
    add(message: string, options?: { type?: "info" | "success" | "warning" | "danger"; title?: string; sticky?: boolean }): () => void;
}

export interface ActionService {
    doAction(action: string | number | Record<string, unknown>, options?: Record<string, unknown>): Promise<void>;
}

export interface DialogService {
    add(component: unknown, props?: Record<string, unknown>, options?: { onClose?: () => void }): () => void;
}

export interface UserService {
    hasGroup(group: string): Promise<boolean>;
}

/** The web client's screen state: `isSmall` below Bootstrap's md breakpoint (phones). */
export interface UiService {
    readonly isSmall: boolean;
}

export interface Services {
    orm: OrmService;
    ui: UiService;
    notification: NotificationService;
    action: ActionService;
    dialog: DialogService;
}

/** What `registry.category("fields").add()` takes. */
export interface FieldDescriptor {
    component: unknown;
    displayName?: string;
    supportedTypes: string[];
    extractProps?: (fieldInfo: { options: Record<string, unknown>; attrs: Record<string, unknown> }) => Record<string, unknown>;
    fieldDependencies?:
        | Array<{ name: string; type: string; relation?: string }>
        | ((fieldInfo: { options: Record<string, unknown> }) => Array<{ name: string; type: string; relation?: string }>);
}
