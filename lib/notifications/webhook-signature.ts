import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `X-Authwatch-Signature: sha256=<hex>`, the HMAC-SHA256 with the configured
 * secret over `<X-Authwatch-Timestamp>.<raw body>`. A receiver recomputes it
 * over the bytes it received and refuses a timestamp older than a few minutes
 * (a replayed delivery).
 */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The receiver's side of the recipe, as documented in the README. */
export function verifyWebhook(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const presented = Buffer.from(signature);
  return expected.length === presented.length && timingSafeEqual(expected, presented);
}
