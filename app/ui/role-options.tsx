import { ROLES } from '@/lib/auth/role-list';

/** The roles, lowest first, as a select's options. */
export function RoleOptions() {
  return ROLES.map((role) => (
    <option key={role} value={role}>
      {role}
    </option>
  ));
}
