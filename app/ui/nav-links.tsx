'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { NavItem } from './navigation';
import styles from './shell.module.css';

/**
 * The navigation links, the current page marked for people and screen
 * readers. Not prefetched: every page renders per request, so a prefetch
 * brings only the route's tree, and the overview's links sent the server
 * about 30 such requests while the page was still drawing.
 */
export function NavLinks({ items }: { items: NavItem[] }) {
  const pathname = usePathname();
  const sections = [
    { name: 'main', label: null, items: items.filter((item) => item.section === 'main') },
    { name: 'admin', label: 'Admin', items: items.filter((item) => item.section === 'admin') },
  ].filter((section) => section.items.length > 0);
  return (
    <nav aria-label="Main" className={styles.nav}>
      {sections.map((section) => (
        <div key={section.name} className={styles.navSection}>
          {section.label && <span className={styles.navLabel}>{section.label}</span>}
          {section.items.map((item) => (
            <Link key={item.href} href={item.href} prefetch={false} className={styles.navLink} aria-current={pathname === item.href ? 'page' : undefined}>
              {item.label}
            </Link>
          ))}
        </div>
      ))}
    </nav>
  );
}
