import type { IngestKeyView } from '@/lib/auth/audited-ingest-keys';
import { ApiButton } from '@/app/ui/api-button';
import { DataTable, type Column } from '@/app/ui/data-table';
import { formatTime } from '@/app/ui/format';
import { StatusBadge } from '@/app/ui/status-badge';
import { RotateKeyButton } from './key-forms';

const COLUMNS: Column<IngestKeyView>[] = [
  { header: 'Key', cell: (key) => key.id, className: 'mono' },
  { header: 'Service', cell: (key) => key.service },
  { header: 'Status', cell: (key) => <StatusBadge status={key.status} /> },
  { header: 'Created', cell: (key) => formatTime(key.createdAt) },
  { header: 'Expires', cell: (key) => formatTime(key.expiresAt) },
  { header: 'Last used', cell: (key) => formatTime(key.lastUsedAt) },
];

/** Ingest keys with their status and last use; with `actions`, rotate and revoke buttons too. */
export function KeyTable({ keys, actions }: { keys: IngestKeyView[]; actions: boolean }) {
  const columns: Column<IngestKeyView>[] = actions
    ? [
        ...COLUMNS,
        {
          header: 'Actions',
          cell: (key) =>
            key.status !== 'revoked' && (
              <>
                <RotateKeyButton id={key.id} />{' '}
                <ApiButton method="DELETE" path={`/api/v1/keys/${key.id}`} label="Revoke" danger confirmation={`Revoke key ${key.id}? It stops working at once.`} />
              </>
            ),
        },
      ]
    : COLUMNS;
  return <DataTable rows={keys} columns={columns} rowKey={(key) => key.id} empty="No ingest key yet. Each service that sends events needs one." />;
}
