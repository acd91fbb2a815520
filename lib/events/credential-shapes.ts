/**
 * The shapes of credentials the token-leakage guard looks for, in the form of
 * gitleaks' rules (see provider-token-shapes.ts): patterns in RE2 syntax, run
 * by a linear-time engine (secret-scanner.ts), never by a backtracking one.
 * The secret is the pattern's first capture group that took part in the match,
 * or the whole match; only it is replaced, so `password=` or a scheme stays
 * readable as evidence.
 */
export type CredentialShape = {
  id: string;
  /** Shown as `[REDACTED:<label>]`. */
  label: string;
  /**
   * Lowercase literals. A string that contains none of them is not scanned for
   * this shape (gitleaks' keywords): the cheap first look that keeps clean
   * strings cheap.
   */
  keywords: readonly string[];
  regex: string;
  /** As gitleaks' secretGroup: which capture group is the secret; 0 is the whole match. */
  secretGroup?: number;
  /** A second look at the secret, for shapes a pattern cannot tell from prose. */
  confirm?: (secret: string) => boolean;
};

/** A bearer-like credential has a digit or symbol, or is long: "Bearer realm" and "token validation" are prose. */
function isCredentialLike(secret: string): boolean {
  return secret.length >= 20 || /[^A-Za-z]/.test(secret);
}

/** `Basic` credentials are base64 of `user:password`; prose after the word "Basic" does not decode to that. */
function isBasicCredential(secret: string): boolean {
  return Buffer.from(secret, 'base64').toString('latin1').includes(':');
}

/** Names whose value is a credential, as whole words of an identifier: `db_password`, `aws_secret_access_key`, `JSESSIONID`. */
const SECRET_NAMES = String.raw`pass(?:word|wd|phrase|code)|pwd|secret|client[_-]?secret|secret[_-]?(?:access[_-]?)?key|credentials?|authorization|cookie|api[_-]?key|private[_-]?key|access[_-]?key|(?:access|refresh|id|auth|bearer|session|csrf|xsrf)[_-]?token|token|session(?:[_-]?id)?|sessid|sid|jsessionid|phpsessid`;
/** What may follow such a name and still name the same secret (`password_hash`, `session_id`); `token_type` is not one. */
const NAME_SUFFIXES = String.raw`id|key|value|hash|str|string|b64|base64|enc|encoded|encrypted|raw|plain|text|header|\d+`;
const SECRET_NAME_KEYWORDS = [
  'pass', 'pwd', 'secret', 'credential', 'authorization', 'cookie', 'api_key', 'api-key', 'apikey', 'private_key',
  'private-key', 'privatekey', 'access_key', 'access-key', 'accesskey', 'token', 'session', 'sessid', 'sid',
];

/** Query parameters that carry credentials in URLs (OAuth codes and tokens, API keys, signed-URL signatures). */
const QUERY_NAMES = [
  'access_token', 'refresh_token', 'id_token', 'token', 'code', 'key', 'api_key', 'apikey', 'sig', 'signature',
  'secret', 'client_secret', 'password', 'passwd', 'pwd', 'auth', 'session', 'sessionid', 'sid', 'jsessionid',
  'phpsessid', 'x-amz-signature', 'x-amz-credential', 'x-amz-security-token', 'x-goog-signature', 'x-goog-credential',
  'assertion', 'ticket', 'otp',
];

/** A delimiter before a name: start, punctuation, or a percent-encoded character (`%26password%3D…`). */
const BEFORE_NAME = String.raw`(?:^|[^A-Za-z0-9]|%[0-9A-Fa-f]{2})`;

/** Authwatch's own shapes: tokens of the auth protocols it watches, and the generic forms secrets take in text. */
export const GENERIC_SHAPES: readonly CredentialShape[] = [
  // JWS compact (the signature is empty for alg=none) and JWE (five parts; the encrypted key is empty for alg=dir).
  {
    id: 'jwt',
    label: 'jwt',
    keywords: ['eyj'],
    regex: String.raw`(eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)?)`,
  },
  {
    id: 'bearer',
    label: 'bearer',
    keywords: ['bearer', 'token', 'digest'],
    regex: String.raw`(?i)\b(?:bearer|token|digest)\s+([A-Za-z0-9._~+/=-]{8,})`,
    confirm: isCredentialLike,
  },
  { id: 'basic', label: 'bearer', keywords: ['basic'], regex: String.raw`(?i)\bbasic\s+([A-Za-z0-9+/]{4,}={0,2})`, confirm: isBasicCredential },
  { id: 'authwatch-ingest-key', label: 'ingest_key', keywords: ['aw_'], regex: String.raw`\b(aw_[a-z0-9]{8,}_[A-Za-z0-9_-]{16,})` },
  // The key material and the END line; a key cut short by a field's length is redacted to the end of the string.
  {
    id: 'private-key',
    label: 'private_key',
    keywords: ['-----begin'],
    regex: String.raw`(?i)-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----([\s\S]*?(?:-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----|\z))`,
  },
  // name=value, name: value, "name": "value", 'name' => 'value', \"name\":\"value\" (JSON inside JSON), name%3Dvalue.
  // An Authorization or Cookie value keeps its scheme with the credential.
  {
    id: 'secret-assignment',
    label: 'secret',
    keywords: SECRET_NAME_KEYWORDS,
    regex:
      String.raw`(?i)${BEFORE_NAME}(?:[a-z0-9]+[_.-])*[a-z0-9]*?(?:${SECRET_NAMES})(?:[_.-](?:${NAME_SUFFIXES}))*` +
      String.raw`(?:\\?["']|%2[27])?\s*(?:=>|:=|=|:|%3D|%3A)\s*` +
      String.raw`(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|\\"([^"\\]*)\\"|%2[27]([^\s%&;,"'<>]*)|((?:(?:bearer|basic|digest|token|negotiate)\s+)?[^\s&;,"'<>\\)}\]]+))`,
  },
  {
    id: 'query-credential',
    label: 'secret',
    keywords: QUERY_NAMES.flatMap((name) => [`${name}=`, `${name}%3d`]),
    regex: String.raw`(?i)(?:[?&;#]|%3F|%26)(?:${QUERY_NAMES.join('|')})(?:=|%3D)([^&#\s"'<>]+)`,
  },
  { id: 'url-credentials', label: 'url_credentials', keywords: ['://'], regex: String.raw`(?i)\b[a-z][a-z0-9+.-]*://[^\s:/@]+:([^\s/@]+)@` },
];
