import type { Event } from './schema';

/**
 * The token-leakage guard. Services sometimes log what they should not: a raw
 * JWT in a user agent, a bearer header in an attribute, `password=` in a path.
 * Such values are replaced before an event is stored or counted, and the number
 * of replacements is reported so the leak itself becomes visible.
 */
type SecretPattern = {
  label: string;
  pattern: RegExp;
  /** The first capture group is kept (e.g. `password=`), the rest replaced. */
  keepPrefix?: boolean;
  /** A second look at a match, for shapes a regular expression cannot tell from prose. */
  confirm?: (match: string) => boolean;
};

/** `Basic` credentials are base64 of `user:password`; prose after the word "Basic" does not decode to that. */
function isBasicCredential(match: string): boolean {
  const encoded = match.replace(/^Basic\s+/i, '');
  return /^[A-Za-z0-9+/]+={0,2}$/.test(encoded) && Buffer.from(encoded, 'base64').toString('latin1').includes(':');
}

const SECRET_PATTERNS: readonly SecretPattern[] = [
  // JWS compact (header.payload.signature, signature may be empty for alg=none) and JWE (five parts;
  // the encrypted key is empty for alg=dir).
  { label: 'jwt', pattern: /eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)?/g },
  // An auth scheme followed by a credential-shaped run: 8+ characters with a digit or symbol, or 20+ letters.
  // Plain prose ("token validation failed", "Basic authentication required") is left alone.
  {
    label: 'bearer',
    pattern: /\b(?:Bearer|Digest|Token)\s+(?:(?=[A-Za-z]*[0-9._~+/=-])[A-Za-z0-9._~+/=-]{8,}|[A-Za-z]{20,})/gi,
  },
  { label: 'bearer', pattern: /\bBasic\s+[A-Za-z0-9+/]{4,}={0,2}/gi, confirm: isBasicCredential },
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

/**
 * Attribute keys whose values are credentials whatever they look like, matched
 * on whole words of the key (`db_password`, `dbPassword`, `set-cookie`), so
 * `mfa_passed` or `bypass` are not.
 */
const SECRET_KEY_WORDS = new Set([
  'password',
  'passwd',
  'passphrase',
  'passcode',
  'pass',
  'pwd',
  'secret',
  'authorization',
  'cookie',
  'credential',
  'credentials',
  'apikey',
]);
/** Multi-word names, and any key ending in `token` (`token`, `csrf_token`) but not `token_type`. */
const SECRET_KEY_PHRASES = /(?:^|_)(?:api_key|private_key|client_secret)(?:_|$)|(?:^|_)token$/;

export function isSecretKey(key: string): boolean {
  const snake = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/[^a-z0-9]+/g, '_');
  return SECRET_KEY_PHRASES.test(snake) || snake.split('_').some((word) => SECRET_KEY_WORDS.has(word));
}

/** A cheap first look; most strings contain none of these and skip the full scan. */
const MAYBE_SECRET = /eyJ|bearer|basic|digest|token|aw_|pass|pwd|secret|api[_-]?key|session|:\/\/[^\s/@]+:/i;

export type RedactionResult = { value: string; redactions: number };

export function redactText(value: string): RedactionResult {
  if (!MAYBE_SECRET.test(value)) return { value, redactions: 0 };
  let redactions = 0;
  let result = value;
  for (const { label, pattern, keepPrefix, confirm } of SECRET_PATTERNS) {
    result = result.replace(pattern, (match: string, prefix: unknown) => {
      if (confirm && !confirm(match)) return match;
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
    if (isSecretKey(key)) {
      attributes[key] = '[REDACTED:secret]';
      redactions += 1;
    }
  }

  const visit = (holder: Record<string, unknown>) => {
    // for…in and the cheap first look before redactText: most strings are clean, and this runs for every one.
    for (const key in holder) {
      const value = holder[key];
      if (typeof value === 'string') {
        if (!MAYBE_SECRET.test(value)) continue;
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
