import { z } from 'zod';
import { ROLES } from './role-list';

export { ROLES };

/**
 * The security team's roles, lowest first (PRODUCT.md): USER reads; MANAGER also
 * works alerts and tunes rules; ADMIN also manages users, services, ingest keys
 * and API tokens. Each role holds every right of the ones before it.
 */
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export function hasRole(held: Role, needed: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(needed);
}
