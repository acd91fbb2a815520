import { fetchJson } from '../http/fetch-json';

/** The authorization server's list of revoked access-token ids, polled every `intervalMs`. */
export type RevocationFeed = { isRevoked(jti: string): boolean; stop(): void };

export function pollRevocations(url: string, ca: string, intervalMs = 1_000): RevocationFeed {
  let revoked = new Set<string>();
  const poll = () =>
    fetchJson(url, ca)
      .then((body) => {
        const entries = (body as { revoked?: { jti?: unknown }[] }).revoked ?? [];
        revoked = new Set(entries.map((entry) => entry.jti).filter((jti): jti is string => typeof jti === 'string'));
      })
      .catch(() => undefined);
  void poll();
  const timer = setInterval(() => void poll(), intervalMs);
  timer.unref();
  return { isRevoked: (jti) => revoked.has(jti), stop: () => clearInterval(timer) };
}
