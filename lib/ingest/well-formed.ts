import type { BatchItem } from './read-batch';

/**
 * A lone UTF-16 surrogate (`"\ud800"` in JSON) has no UTF-8 form: stored as
 * sent it becomes bytes that are not valid UTF-8. Every string and key of an
 * item that holds one gets U+FFFD in its place, as a WHATWG decoder does with
 * bytes it cannot read; the rest of the event is kept. A body is valid UTF-8
 * (it is decoded strictly), so only a `\u` escape can make a surrogate.
 */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

export function mayHoldSurrogates(text: string): boolean {
  return SURROGATE_ESCAPE.test(text);
}

function wellFormed(value: unknown): unknown {
  if (typeof value === 'string') return value.toWellFormed();
  if (Array.isArray(value)) return value.map(wellFormed);
  if (value !== null && typeof value === 'object') {
    // fromEntries defines own properties: a key named __proto__ stays a key, for the checks that refuse it.
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key.toWellFormed(), wellFormed(inner)]));
  }
  return value;
}

export function replaceLoneSurrogates(item: BatchItem): BatchItem {
  return item.kind === 'value' ? { kind: 'value', value: wellFormed(item.value) } : item;
}
