import type { Event } from './schema';

/**
 * The token-leakage guard. Services sometimes log what they should not: a raw
 * JWT in a user agent, a bearer header in an attribute, `password=` in a path.
 * Such values are replaced before an event is stored or counted, and the number
 * of replacements is reported so the leak itself becomes visible.
 */
const SECRET_PATTERNS: ReadonlyArray<{ label: string; pattern: RegExp; keepPrefix?: boolean }> = [
  // JWS compact (header.payload.signature, signature may be empty for alg=none) and JWE (five parts;
  // the encrypted key is empty for alg=dir).
  { label: 'jwt', pattern: /eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)?/g },
  { label: 'bearer', pattern: /\b(?:Bearer|Basic|Digest|Token)\s+[A-Za-z0-9._~+/=-]{8,}/gi },
  { label: 'ingest_key', pattern: /\baw_[a-z0-9]{8,}_[A-Za-z0-9_-]{16,}/g },
  // Not `\b`: an underscore is a word character, and `db_password=` must be caught too.
  {
    label: 'secret',
    pattern:
      /(?<![A-Za-z0-9])((?:pass(?:word|wd)?|pwd|secret|client_secret|api[_-]?key|access_token|refresh_token|id_token|session(?:id)?)\s*[=:]\s*)[^\s&;,"']+/gi,
    keepPrefix: true,
  },
  { label: 'url_credentials', pattern: /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s/@]+(?=@)/gi, keepPrefix: true },
];

/** Attribute keys whose values are credentials whatever they look like. */
const SECRET_KEY = /pass(?:word|wd)?|pwd|secret|authorization|cookie|credential|api[_-]?key|private[_-]?key|^(?:access|refresh|id)?[_-]?token$/i;

/** A cheap first look; most strings contain none of these and skip the full scan. */
const MAYBE_SECRET = /eyJ|bearer|basic|digest|token|aw_|pass|pwd|secret|api[_-]?key|session|:\/\/[^\s/@]+:/i;

export type RedactionResult = { value: string; redactions: number };

export function redactText(value: string): RedactionResult {
  if (!MAYBE_SECRET.test(value)) return { value, redactions: 0 };
  let redactions = 0;
  let result = value;
  for (const { label, pattern, keepPrefix } of SECRET_PATTERNS) {
    result = result.replace(pattern, (_match, prefix: unknown) => {
      redactions += 1;
      return `${keepPrefix && typeof prefix === 'string' ? prefix : ''}[REDACTED:${label}]`;
    });
  }
  return { value: result, redactions };
}

/** Redacts every string in a validated event in place and returns how many values were replaced. */
export function redactEvent(event: Event): number {
  let redactions = 0;
  const attributes = event.attributes ?? {};
  for (const key of Object.keys(attributes)) {
    if (SECRET_KEY.test(key)) {
      attributes[key] = '[REDACTED:secret]';
      redactions += 1;
    }
  }

  const visit = (holder: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(holder)) {
      if (typeof value === 'string') {
        const redacted = redactText(value);
        holder[key] = redacted.value;
        redactions += redacted.redactions;
      } else if (value !== null && typeof value === 'object') {
        visit(value as Record<string, unknown>);
      }
    }
  };
  visit(event as unknown as Record<string, unknown>);
  return redactions;
}
