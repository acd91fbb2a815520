import RE2 from 're2';
import { GENERIC_SHAPES, type CredentialShape } from './credential-shapes';
import { PROVIDER_TOKEN_SHAPES } from './provider-token-shapes';

/**
 * Finds and replaces credentials in one string, in time linear in its length:
 * a case-insensitive look for the shapes' keywords (a plain alternation of
 * literals), then RE2 (automata, no backtracking) for the patterns. Strings
 * crafted for a backtracking engine, `eyJ` repeated to the field's length, cost
 * what any string of that length costs.
 */
export const CREDENTIAL_SHAPES: readonly CredentialShape[] = [...GENERIC_SHAPES, ...PROVIDER_TOKEN_SHAPES];

/**
 * Past this many credentials, or shapes, in one string, the whole string is
 * replaced: no honest field holds that many, and it bounds the work a crafted
 * one can cause.
 */
const MAX_MATCHES_PER_STRING = 32;
const MAX_SHAPES_PER_STRING = 8;
const WHOLE = '[REDACTED:secret]';

type Span = { start: number; end: number; label: string };
export type RedactionResult = { value: string; redactions: number };

/** Keywords as one regular expression; a keyword that contains another is implied by it and left out. */
function firstLook(keywords: readonly string[]): RegExp {
  const unique = [...new Set(keywords)];
  const needed = unique.filter((keyword) => !unique.some((other) => other !== keyword && keyword.includes(other)));
  const escaped = needed.sort((a, b) => b.length - a.length).map((keyword) => keyword.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'));
  return new RegExp(escaped.join('|'), 'i');
}

const FIRST_LOOK = firstLook(CREDENTIAL_SHAPES.flatMap((shape) => shape.keywords));
const PATTERNS = CREDENTIAL_SHAPES.map((shape) => new RE2(shape.regex, 'gd'));
/** One pass of one automaton tells which shapes occur at all; only those are then located. */
const ANY_SHAPE = new RE2.Set(CREDENTIAL_SHAPES.map((shape) => shape.regex));
const EVERY_SHAPE = CREDENTIAL_SHAPES.map((_, index) => index);

/** Whether a string could hold a credential at all; most do not, and skip the rest. */
export function mayHoldSecret(text: string): boolean {
  return FIRST_LOOK.test(text);
}

/** gitleaks' rule: the secret is `secretGroup`, else the first capture group that matched something, else the match. */
function secretSpan(indices: [number, number][], secretGroup: number | undefined): [number, number] | undefined {
  if (secretGroup !== undefined) return indices[secretGroup];
  for (let group = 1; group < indices.length; group++) {
    const span = indices[group];
    if (span && span[1] > span[0]) return span;
  }
  return indices[0];
}

function shapesIn(bytes: Buffer): readonly number[] {
  try {
    return ANY_SHAPE.match(bytes);
  } catch {
    // RE2.Set fails when its automaton runs out of memory, where a single pattern would not: try every shape.
    return EVERY_SHAPE;
  }
}

/** Every credential in `bytes`, or undefined when there are too many to list. */
function findSpans(text: string, bytes: Buffer, shapes: readonly number[]): Span[] | undefined {
  const lower = text.toLowerCase();
  const spans: Span[] = [];
  let examined = 0;
  for (const index of shapes) {
    const shape = CREDENTIAL_SHAPES[index];
    if (!shape.keywords.some((keyword) => lower.includes(keyword))) continue;
    const pattern = PATTERNS[index];
    pattern.lastIndex = 0;
    for (let match = pattern.exec(bytes); match !== null; match = pattern.exec(bytes)) {
      if (++examined > MAX_MATCHES_PER_STRING) return undefined;
      const span = secretSpan((match as unknown as { indices: [number, number][] }).indices, shape.secretGroup);
      if (span && span[1] > span[0] && (!shape.confirm || shape.confirm(bytes.toString('utf8', span[0], span[1])))) {
        spans.push({ start: span[0], end: span[1], label: shape.label });
      }
      if (match[0].length === 0) pattern.lastIndex += 1;
    }
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

/** Replaces every credential in `text` with `[REDACTED:<label>]` and counts the replacements. */
export function redactText(text: string): RedactionResult {
  if (!FIRST_LOOK.test(text)) return { value: text, redactions: 0 };
  // Offsets are in UTF-8 bytes, where RE2 works; a lone surrogate becomes U+FFFD here, as everywhere in ingest.
  const bytes = Buffer.from(text, 'utf8');
  const shapes = shapesIn(bytes);
  if (shapes.length === 0) return { value: text, redactions: 0 };
  if (shapes.length > MAX_SHAPES_PER_STRING) return { value: WHOLE, redactions: 1 };
  const found = findSpans(text, bytes, shapes);
  if (found === undefined) return { value: WHOLE, redactions: 1 };
  if (found.length === 0) return { value: text, redactions: 0 };
  const spans = merge(found);
  let value = '';
  let kept = 0;
  for (const { start, end, label } of spans) {
    value += `${bytes.toString('utf8', kept, start)}[REDACTED:${label}]`;
    kept = end;
  }
  return { value: value + bytes.toString('utf8', kept), redactions: spans.length };
}
