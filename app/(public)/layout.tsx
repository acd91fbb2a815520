import type { ReactNode } from 'react';
import styles from './public.module.css';

/** Sign-in and setup: one centred card, no navigation. */
export default function PublicLayout({ children }: { children: ReactNode }) {
  return (
    <main className={styles.page}>
      <div className={styles.card}>
        <p className={styles.brand}>authwatch</p>
        {children}
      </div>
    </main>
  );
}
