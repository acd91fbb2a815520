import styles from './severity.module.css';

const ICONS: Record<string, string> = { critical: '▲▲', high: '▲', medium: '◆', low: '▼', info: '●' };

/** One severity palette everywhere: the colour and, beside it, an icon and the word, so it reads without colour. */
export function SeverityBadge({ severity }: { severity: string }) {
  const known = severity in ICONS ? severity : 'info';
  return (
    <span className={`${styles.severity} ${styles[known]}`}>
      <span aria-hidden="true">{ICONS[known]}</span> {severity}
    </span>
  );
}
