import Link from 'next/link';
import type { ReactNode } from 'react';
import { requireSignedIn } from '@/lib/http/page-access';
import { navigationFor } from '@/app/ui/navigation';
import { NavLinks } from '@/app/ui/nav-links';
import { UserMenu } from '@/app/ui/user-menu';
import styles from '@/app/ui/shell.module.css';

/** Every page but /login and /setup: navigation, the user menu, and the page. Each page checks its own role too. */
export default async function MemberLayout({ children }: { children: ReactNode }) {
  const user = await requireSignedIn();
  return (
    <div className={styles.shell}>
      <header className={styles.header}>
        <Link href="/" prefetch={false} className={styles.brand}>
          authwatch
        </Link>
        <NavLinks items={navigationFor(user.role)} />
        <UserMenu email={user.email} role={user.role} />
      </header>
      <main className={styles.main} id="main">
        {children}
      </main>
    </div>
  );
}
