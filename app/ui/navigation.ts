import { roleMayUse, type MemberRoute } from '@/lib/auth/access';
import type { Role } from '@/lib/auth/roles';

/**
 * The navigation, in order. A link shows when the viewer's role may open its
 * page (the access table decides); the page checks again when opened. The
 * dashboard, alert and rule pages add their entries here as they land.
 */
export type NavItem = { href: string; label: string; route: MemberRoute; section: 'main' | 'admin' };

export const NAVIGATION: readonly NavItem[] = [
  { href: '/', label: 'Overview', route: 'PAGE /', section: 'main' },
  { href: '/events', label: 'Events', route: 'PAGE /events', section: 'main' },
  { href: '/alerts', label: 'Alerts', route: 'PAGE /alerts', section: 'main' },
  { href: '/rules', label: 'Rules', route: 'PAGE /rules', section: 'main' },
  { href: '/services', label: 'Services', route: 'PAGE /services', section: 'main' },
  { href: '/admin/users', label: 'Users', route: 'PAGE /admin/users', section: 'admin' },
  { href: '/admin/keys', label: 'Services & keys', route: 'PAGE /admin/keys', section: 'admin' },
  { href: '/admin/tokens', label: 'API tokens', route: 'PAGE /admin/tokens', section: 'admin' },
  { href: '/admin/audit', label: 'Audit log', route: 'PAGE /admin/audit', section: 'admin' },
];

export function navigationFor(role: Role): NavItem[] {
  return NAVIGATION.filter((item) => roleMayUse(role, item.route));
}
