import { escapeUnsafeCharacters } from '../text';

/** Left-aligned columns for a terminal; cells are escaped so no value can move the cursor. */
export function formatTable(headers: string[], rows: string[][]): string {
  const cells = [headers, ...rows.map((row) => row.map(escapeUnsafeCharacters))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => row[column].length)));
  return cells.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd()).join('\n') + '\n';
}
