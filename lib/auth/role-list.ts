/**
 * The roles, lowest first. Apart from roles.ts (which adds the zod schema) so a
 * client component can list them without bundling zod.
 */
export const ROLES = ['USER', 'MANAGER', 'ADMIN'] as const;
