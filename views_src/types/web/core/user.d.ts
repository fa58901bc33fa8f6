// Typed facade of @web/core/user.
export const user: {
    userId: number;
    lang: string;
    hasGroup(group: string): Promise<boolean>;
};
