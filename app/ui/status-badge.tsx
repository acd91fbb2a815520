import styles from './badge.module.css';

/** A credential's or account's status, as a word (not only a colour). */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`${styles.badge} ${styles[status] ?? ''}`}>{status}</span>;
}
