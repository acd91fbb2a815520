import type { ReactNode } from 'react';
import styles from './shell.module.css';

/** One column: its header and how a row fills its cell (always as text or elements, never HTML). */
export type Column<Row> = { header: string; cell: (row: Row) => ReactNode; className?: string };

/** The pages' tables: a header row, one line per row, and what to say when there is none. */
export function DataTable<Row>({
  rows,
  columns,
  rowKey,
  empty,
}: {
  rows: readonly Row[];
  columns: readonly Column<Row>[];
  rowKey: (row: Row) => string | number;
  empty: ReactNode;
}) {
  if (rows.length === 0) return <p className={styles.muted}>{empty}</p>;
  return (
    <table>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.header} scope="col" className={column.className}>
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)}>
            {columns.map((column) => (
              <td key={column.header} className={column.className}>
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
