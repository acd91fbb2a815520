import RE2 from 're2';
import { GENERIC_SHAPES, type CredentialShape } from './credential-shapes';
import { PROVIDER_TOKEN_SHAPES } from './provider-token-shapes';

/**
 * Finds and replaces credentials in one string, in time linear in its length:
 * a case-insensitive look for the shapes' keywords (a plain alternation of
 * literals), then RE2 (automata, no backtracking) for the patterns. Strings
 * crafted for a backtracking engine, `eyJ` repeated to the field's length, cost
 * what any string of that length costs.
 *
 * RE2's cost is mostly per call and per match (a few microseconds each), so
 * the work a crafted batch can cause is bounded by counting both against a
 * budget (`ScanBudget`): a string met after the budget is spent, or one with
 * more keywords or shapes than any honest field, is replaced whole without
 * being scanned. Nothing is stored unscanned; only evidence is lost, and only
 * in batches built to be expensive.
 */
export const CREDENTIAL_SHAPES: readonly CredentialShape[] = [...GENERIC_SHAPES, ...PROVIDER_TOKEN_SHAPES];

const MAX_KEYWORDS_PER_STRING = 64;
const MAX_SHAPES_PER_STRING = 8;
const MAX_MATCHES_PER_STRING = 32;
const WHOLE = '[REDACTED:secret]';

/** RE2 calls and matches a batch may still spend; shared by all the strings of one batch. */
export type ScanBudget = { remaining: number };
/** What one honest event may spend, with a floor for small batches: ample for real feeds (see bench:redact). */
export const SCAN_UNITS_PER_EVENT = 8;
export const SCAN_UNITS_PER_BATCH = 2_000;

export function scanBudget(events: number): ScanBudget {
  return { remaining: SCAN_UNITS_PER_BATCH + SCAN_UNITS_PER_EVENT * events };
}

type Span = { start: number; end: number; label: string };
export type RedactionResult = { value: string; redactions: number };

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** Lowercase words as a trie-shaped alternation: each position is tried against one branch per first character. */
function trieSource(words: readonly string[]): string {
  if (words.includes('')) return '';
  const byFirst = new Map<string, string[]>();
  for (const word of words) byFirst.set(word[0], [...(byFirst.get(word[0]) ?? []), word.slice(1)]);
  const branches = [...byFirst].map(([first, rests]) => escape(first) + trieSource(rests));
  return branches.length === 1 ? branches[0] : `(?:${branches.join('|')})`;
}

/** Keywords as one regular expression; a keyword that contains another is implied by it and left out. */
function keywordPattern(keywords: readonly string[], flags: string): RegExp {
  const unique = [...new Set(keywords)];
  const needed = unique.filter((keyword) => !unique.some((other) => other !== keyword && keyword.includes(other)));
  return new RegExp(trieSource(needed), flags);
}

/**
 * Every URL holds `://`, and few hold credentials: a string is a candidate for
 * the url-credentials shape only when it also holds an `@`, tested apart.
 */
const URL_KEYWORD = '://';
const KEYWORDS = CREDENTIAL_SHAPES.flatMap((shape) => shape.keywords);
const FIRST_LOOK = keywordPattern(
  KEYWORDS.filter((keyword) => keyword !== URL_KEYWORD),
  'i',
);
const EVERY_KEYWORD = keywordPattern(KEYWORDS, 'gi');
const PATTERNS = CREDENTIAL_SHAPES.map((shape) => new RE2(shape.regex, 'g'));
/** One pass of one automaton tells which shapes occur at all; only those are then located. */
const ANY_SHAPE = new RE2.Set(CREDENTIAL_SHAPES.map((shape) => shape.regex));
const EVERY_SHAPE = CREDENTIAL_SHAPES.map((_, index) => index);

/** Whether a string could hold a credential at all; most do not, and skip the rest. */
export function mayHoldSecret(text: string): boolean {
  return FIRST_LOOK.test(text) || (text.includes('@') && text.includes(URL_KEYWORD));
}

/** Keyword occurrences in `text`, counted up to just past the limit. */
function keywordCount(text: string): number {
  EVERY_KEYWORD.lastIndex = 0;
  let count = 0;
  while (count <= MAX_KEYWORDS_PER_STRING && EVERY_KEYWORD.exec(text) !== null) count += 1;
  return count;
}

/**
 * gitleaks' rule: the secret is `secretGroup`, else the first capture group
 * that matched something, else the whole match. Its place in the match is its
 * last occurrence there: what may follow it is a delimiter.
 */
function secretSpan(args: unknown[], secretGroup: number | undefined): [number, number] | undefined {
  const match = args[0] as string;
  // The replacer gets (match, ...groups, offset, input).
  const offsetAt = args.findIndex((arg, index) => index > 0 && typeof arg === 'number');
  const offset = args[offsetAt] as number;
  const groups = args.slice(1, offsetAt) as (string | undefined)[];
  const secret = secretGroup === 0 ? match : secretGroup !== undefined ? groups[secretGroup - 1] : (groups.find((group) => group) ?? match);
  if (!secret) return undefined;
  const start = offset + match.lastIndexOf(secret);
  return [start, start + secret.length];
}

function shapesIn(text: string): readonly number[] {
  try {
    return ANY_SHAPE.match(text);
  } catch {
    // RE2.Set fails when its automaton runs out of memory, where a single pattern would not: try every shape.
    return EVERY_SHAPE;
  }
}

/**
 * Every credential in `text`, or undefined when there are too many to list.
 * One native call per shape that occurs (RE2's replace visits every match);
 * calling exec once per match costs several times as much.
 */
function findSpans(text: string, shapes: readonly number[], budget: ScanBudget): Span[] | undefined {
  const lower = text.toLowerCase();
  const spans: Span[] = [];
  let examined = 0;
  for (const index of shapes) {
    const shape = CREDENTIAL_SHAPES[index];
    if (!shape.keywords.some((keyword) => lower.includes(keyword))) continue;
    const before = examined;
    PATTERNS[index].replace(text, (...args: unknown[]) => {
      examined += 1;
      const span = examined <= MAX_MATCHES_PER_STRING ? secretSpan(args, shape.secretGroup) : undefined;
      if (span && span[1] > span[0] && (!shape.confirm || shape.confirm(text.slice(span[0], span[1])))) {
        spans.push({ start: span[0], end: span[1], label: shape.label });
      }
      return '';
    });
    budget.remaining -= 1 + examined - before;
    if (examined > MAX_MATCHES_PER_STRING) return undefined;
  }
  return spans;
}

/** Overlapping finds (a bearer token inside an Authorization assignment) become one replacement. */
function merge(spans: Span[]): Span[] {
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && span.start < last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

/**
 * Replaces every credential in `text` with `[REDACTED:<label>]` and counts the
 * replacements. Offsets are in UTF-16 units; ingest has replaced lone
 * surrogates before (RE2 reads UTF-8, which cannot hold them).
 */
export function redactText(text: string, budget: ScanBudget = scanBudget(0)): RedactionResult {
  if (!mayHoldSecret(text)) return { value: text, redactions: 0 };
  if (budget.remaining <= 0 || keywordCount(text) > MAX_KEYWORDS_PER_STRING) return { value: WHOLE, redactions: 1 };
  budget.remaining -= 1;
  const shapes = shapesIn(text);
  if (shapes.length === 0) return { value: text, redactions: 0 };
  if (shapes.length > MAX_SHAPES_PER_STRING) return { value: WHOLE, redactions: 1 };
  const found = findSpans(text, shapes, budget);
  if (found === undefined) return { value: WHOLE, redactions: 1 };
  if (found.length === 0) return { value: text, redactions: 0 };
  const spans = merge(found);
  let value = '';
  let kept = 0;
  for (const { start, end, label } of spans) {
    value += `${text.slice(kept, start)}[REDACTED:${label}]`;
    kept = end;
  }
  return { value: value + text.slice(kept), redactions: spans.length };
}
