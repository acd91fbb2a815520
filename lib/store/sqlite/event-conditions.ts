import { ipRange } from '../../net/ip-address';
import type { EventCursor, EventFilter } from '../store';

export type Params = Record<string, string | number | Buffer>;
export type Conditions = { clauses: string[]; params: Params };

/** Where a statement reads: the recent table has no ip_key column, so reads compute the key there. */
export type SourceKind = 'recent' | 'partition';

/** The list filters, their columns, and the partition index each can drive, in the order a driver is chosen. */
export const LIST_FILTERS = [
  { field: 'jtis', column: 'jti', index: 'by_block_jti', blockLed: true },
  { field: 'subjects', column: 'subject', index: 'by_block_subject', blockLed: true },
  { field: 'usernames', column: 'username', index: 'by_block_username', blockLed: true },
  { field: 'clientIds', column: 'client_id', index: 'by_block_client', blockLed: true },
  { field: 'ips', column: 'ip_key', index: 'by_block_ip_key', blockLed: true },
  { field: 'reasons', column: 'reason', index: 'by_reason', blockLed: false },
  { field: 'serviceIds', column: 'service_id', index: 'by_service', blockLed: false },
  { field: 'types', column: 'type', index: 'by_type', blockLed: false },
] as const satisfies ReadonlyArray<{ field: keyof EventFilter; column: string; index: string; blockLed: boolean }>;

export type ListFilter = (typeof LIST_FILTERS)[number];

/** The filter whose index a partition read walks: the most selective one the query uses. */
export function chooseDriver(filter: EventFilter): ListFilter | undefined {
  return LIST_FILTERS.find(({ field }) => (filter[field]?.length ?? 0) > 0);
}

/** One value of a filter as SQL over `column`: equality, or a key range for an address or CIDR block. */
export function valueClause(filter: ListFilter, value: string | number, name: string, source: SourceKind, params: Params): string {
  if (filter.field !== 'ips') {
    params[name] = value;
    return `${filter.column} = @${name}`;
  }
  const range = ipRange(String(value));
  if (!range) throw new Error('an ip filter reached the store unvalidated');
  if (range.first === range.last) {
    // One address: equality keeps the index's time order, so a walk stops after LIMIT rows.
    params[name] = range.first;
    return `ip_key = @${name}`;
  }
  params[`${name}_first`] = range.first;
  params[`${name}_last`] = range.last;
  return `ip_key BETWEEN @${name}_first AND @${name}_last`;
}

/**
 * Every filter as SQL conditions, values bound by name, never spliced: each list
 * is "any of its values", lists together are "all of them". `skip` leaves out a
 * filter the caller expresses itself (the driver of an index walk).
 */
export function filterConditions(filter: EventFilter, source: SourceKind, skip?: ListFilter): Conditions {
  const clauses: string[] = [];
  const params: Params = {};
  if (filter.since !== undefined) {
    clauses.push('time >= @since');
    params.since = filter.since;
  }
  if (filter.until !== undefined) {
    clauses.push('time < @until');
    params.until = filter.until;
  }
  for (const listFilter of LIST_FILTERS) {
    const values = filter[listFilter.field];
    if (!values || values.length === 0 || listFilter === skip) continue;
    const alternatives = values.map((value, index) => valueClause(listFilter, value, `${listFilter.field}${index}`, source, params));
    clauses.push(alternatives.length === 1 ? alternatives[0] : `(${alternatives.join(' OR ')})`);
  }
  textWords(filter.text).forEach((word, index) => {
    clauses.push(`document LIKE @text${index} ESCAPE '\\'`);
    params[`text${index}`] = `%${word.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
  });
  return { clauses, params };
}

/** The words of a free-text filter (at most 8); LIKE's wildcards in them match only themselves. */
function textWords(text: string | undefined): string[] {
  return (text ?? '').split(/\s+/).filter((word) => word.length > 0).slice(0, 8);
}

/**
 * The text index's query (text-index.ts) for the words of 3 characters or
 * more, or undefined when none has 3: a trigram index finds no shorter word,
 * and those words are matched by LIKE alone (as are words with a control
 * character). Each word is folded as LIKE folds (ASCII only, as the index's
 * documents were) and becomes the AND of trigrams covering it (every third,
 * and the last); a candidate may match the trigrams without the word, so the
 * caller keeps the LIKE conditions as well.
 */
export function textIndexQuery(text: string | undefined): string | undefined {
  const trigrams = new Set<string>();
  for (const word of textWords(text)) {
    const characters = [...word.replace(/[A-Z]/g, (letter) => letter.toLowerCase())];
    // A control character is never in the stored JSON (it escapes them), and LIKE stops reading
    // its pattern at a NUL: such a word is LIKE's alone, whatever that finds.
    if (characters.length < 3 || characters.some((character) => character.charCodeAt(0) < 0x20)) continue;
    for (let start = 0; start < characters.length; start += 3) {
      const from = Math.min(start, characters.length - 3);
      trigrams.add(characters.slice(from, from + 3).join(''));
    }
  }
  if (trigrams.size === 0) return undefined;
  return [...trigrams].map((trigram) => `"${trigram.replaceAll('"', '""')}"`).join(' AND ');
}

/** Strictly older than the cursor in (time, seq) order; `time <=` lets the index bound its walk. */
export function cursorConditions(cursor: EventCursor | undefined): Conditions {
  if (!cursor) return { clauses: [], params: {} };
  return {
    clauses: ['time <= @cursorTime', '(time < @cursorTime OR (time = @cursorTime AND seq < @cursorSeq))'],
    params: { cursorTime: cursor.time, cursorSeq: cursor.seq },
  };
}

export function whereClause(...parts: Conditions[]): { where: string; params: Params } {
  const clauses = parts.flatMap((part) => part.clauses);
  return { where: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params: Object.assign({}, ...parts.map((part) => part.params)) };
}
