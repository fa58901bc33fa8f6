import { registry } from "@web/core/registry";

/** What the server sends after creating quotations from cases. */
export interface QuotationCreatedParams {
    title: string;
    message: string;
    button: string;
    action: Record<string, unknown>;
    order_ids: number[];
    next?: Record<string, unknown>;
}

interface NotificationButton {
    name: string;
    primary?: boolean;
    onClick: () => void;
}

interface ClientActionEnv {
    services: {
        notification: {
            add(
                message: string,
                options: { title?: string; type?: string; sticky?: boolean; autocloseDelay?: number; buttons?: NotificationButton[] },
            ): () => void;
        };
        action: { doAction(action: Record<string, unknown>): Promise<void> };
    };
}

/** Long enough to read the message and reach the button. */
export const NOTIFICATION_DELAY_MS = 12000;

/**
 * Tells the user the quotations were made with default settings and offers to
 * open them; the view that asked for them reloads to show the link.
 */
export function quotationCreatedAction(env: ClientActionEnv, action: { params: QuotationCreatedParams }): Record<string, unknown> | undefined {
    const params = action.params;
    const close = env.services.notification.add(params.message, {
        title: params.title,
        type: "success",
        autocloseDelay: NOTIFICATION_DELAY_MS,
        buttons: [
            {
                name: params.button,
                primary: true,
                onClick: () => {
                    close();
                    void env.services.action.doAction(params.action);
                },
            },
        ],
    });
    return params.next;
}

registry.category("actions").add("helpdesk_case_billing.quotation_created", quotationCreatedAction);
