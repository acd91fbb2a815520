import Link from 'next/link';
import { notFound } from 'next/navigation';
import { flattenEvent, getEventView } from '@/lib/events/get-event';
import { requirePage } from '@/lib/http/page-access';
import { requestContext } from '@/lib/request-context';
import styles from '@/app/ui/dashboard/dashboard.module.css';
import { LocalTime } from '@/app/ui/local-time';
import { PIVOTS, fieldOf } from '@/app/ui/explorer/event-fields';
import { explorerHref } from '@/app/ui/dashboard/explorer-href';

export const metadata = { title: 'Event · authwatch' };

/** `/events/{seq}`: every field of the stored event as text, and one-click filters on its IP, username, subject, client and token id. */
export default async function EventPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePage('PAGE /events/[id]');
  const { id } = await params;
  const found = /^\d{1,15}$/.test(id) ? await getEventView({ ctx: requestContext(), seq: Number(id) }) : undefined;
  if (!found) notFound();
  const { view } = found;
  const pivots = PIVOTS.flatMap((pivot) => {
    const value = fieldOf(view, ...pivot.path);
    return value === undefined ? [] : [{ ...pivot, value }];
  });
  return (
    <>
      <p>
        <Link href="/events">← Events</Link>
      </p>
      <h1>
        Event #{view.seq} <span className={styles.flat}>{found.type}</span>
      </h1>
      <p>
        At <LocalTime iso={String(view.time)} />, received <LocalTime iso={view.received_at} />
        {found.service && <> by service {found.service}</>}
        {found.redactions > 0 && <> · {found.redactions} secret-looking value(s) redacted at ingest</>}
      </p>
      {pivots.length > 0 && (
        <section className={styles.panel} aria-labelledby="pivots">
          <h2 id="pivots">Everything else…</h2>
          <ul>
            {pivots.map((pivot) => (
              <li key={pivot.param}>
                <Link href={explorerHref({ [pivot.param]: pivot.value })}>
                  everything else this {pivot.label} did: <span className={styles.truncate}>{pivot.value}</span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className={styles.panel} aria-labelledby="fields">
        <h2 id="fields">Stored event</h2>
        <table data-testid="event-fields">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {flattenEvent(view).map(([path, value]) => (
              <tr key={path}>
                <th scope="row" className="mono">
                  {path}
                </th>
                <td className="mono">{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
