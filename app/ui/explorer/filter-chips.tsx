import Link from 'next/link';
import styles from '../dashboard/dashboard.module.css';
import { withoutFilter } from './explorer-url';

const HIDDEN = new Set(['cursor', 'limit']);

/** Each filter of the URL as a chip with a remove link; the back button undoes a removal. */
export function FilterChips({ search }: { search: URLSearchParams }) {
  const chips = [...search].filter(([name]) => !HIDDEN.has(name));
  if (chips.length === 0) return null;
  return (
    <ul className={styles.chips} aria-label="Filters">
      {chips.map(([name, value]) => (
        <li key={`${name}=${value}`} className={styles.chip}>
          <span>
            {name}: <span className={styles.truncate}>{value}</span>
          </span>
          <Link href={withoutFilter(search, name, value)} aria-label={`Remove filter ${name}: ${value}`}>
            ✕
          </Link>
        </li>
      ))}
    </ul>
  );
}
