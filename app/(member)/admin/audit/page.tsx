import Link from 'next/link';
import { AUDIT_ACTIONS } from '@/lib/audit/record-change';
import { AuditFilter, auditFilterInput, listAudit } from '@/lib/audit/list-audit';
import { requirePage } from '@/lib/http/page-access';
import { requestContext } from '@/lib/request-context';
import { DataTable } from '@/app/ui/data-table';
import { FormError } from '@/app/ui/form-message';
import formStyles from '@/app/ui/form.module.css';
import { formatTime } from '@/app/ui/format';
import styles from '@/app/ui/shell.module.css';

export const metadata = { title: 'Audit log · authwatch' };

type SearchParams = Record<string, string | string[] | undefined>;

/** /admin/audit (ADMIN): every change, by anyone, from the web, the API or the CLI; filters live in the query string. */
export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePage('PAGE /admin/audit');
  const raw = auditFilterInput(await searchParams);
  const parsed = AuditFilter.safeParse(raw);
  const page = parsed.success ? listAudit({ ctx: requestContext(), input: parsed.data }) : { entries: [], nextBefore: null };
  const older = page.nextBefore === null ? null : `?${new URLSearchParams({ ...raw, before: String(page.nextBefore) })}`;

  return (
    <>
      <section className={styles.section} aria-labelledby="audit">
        <h1 id="audit">Audit log</h1>
        <p className={styles.muted}>Append-only: the database refuses to change or delete an entry. Times are UTC.</p>
        <form method="get" className={formStyles.inline} aria-label="Filter the audit log">
          <div>
            <label htmlFor="actor">Actor</label>
            <input id="actor" name="actor" defaultValue={raw.actor} placeholder="alice@example.com" />
          </div>
          <div>
            <label htmlFor="action">Action</label>
            <select id="action" name="action" defaultValue={raw.action ?? ''}>
              <option value="">any</option>
              {AUDIT_ACTIONS.map((action) => (
                <option key={action} value={action}>
                  {action}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="target">Target</label>
            <input id="target" name="target" defaultValue={raw.target} />
          </div>
          <div>
            <label htmlFor="from">From (UTC)</label>
            <input id="from" name="from" type="datetime-local" defaultValue={raw.from} />
          </div>
          <div>
            <label htmlFor="to">To (UTC)</label>
            <input id="to" name="to" type="datetime-local" defaultValue={raw.to} />
          </div>
          <button type="submit">Filter</button>
          <Link href="/admin/audit">Clear</Link>
        </form>
        {!parsed.success && <FormError message="These filters are not valid; check the times." />}
      </section>
      <section className={styles.section} aria-label="Entries">
        <DataTable
          rows={page.entries}
          rowKey={(entry) => entry.id}
          empty="No entry matches."
          columns={[
            { header: 'When', cell: (entry) => formatTime(entry.time) },
            { header: 'Actor', cell: (entry) => entry.actorLabel },
            { header: 'Action', cell: (entry) => entry.action, className: 'mono' },
            { header: 'Target', cell: (entry) => entry.target },
            { header: 'Detail', cell: (entry) => entry.detail, className: 'mono' },
            { header: 'From', cell: (entry) => entry.ip ?? '—', className: 'mono' },
          ]}
        />
        {older && <Link href={older}>Older entries</Link>}
      </section>
    </>
  );
}
