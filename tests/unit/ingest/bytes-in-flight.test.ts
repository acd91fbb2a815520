import { describe, expect, it } from 'vitest';
import { BytesInFlight } from '@/lib/ingest/bytes-in-flight';
import { readEventBody, type IngestRequest } from '@/lib/ingest/read-batch';

function request(body: string, headers: Record<string, string> = {}): IngestRequest {
  const all: Record<string, string> = { 'content-type': 'application/json', ...headers };
  return { headers: { get: (name) => all[name.toLowerCase()] ?? null }, body: (async function* () { yield new TextEncoder().encode(body); })() };
}

describe('BytesInFlight', () => {
  it('refuses a request whose declared length would pass the bound, with 503 ERR_SERVER_BUSY and Retry-After, before reading it', async () => {
    const bytes = new BytesInFlight(1_000);
    const first = bytes.open();
    await readEventBody(request('[' + ' '.repeat(598) + ']', { 'content-length': '600' }), first);
    expect(bytes.held).toBe(600);
    let read = false;
    const second: IngestRequest = {
      headers: { get: (name) => ({ 'content-type': 'application/json', 'content-length': '500' })[name.toLowerCase() as 'content-type'] ?? null },
      body: (async function* () { read = true; yield new Uint8Array(500); })(),
    };
    await expect(readEventBody(second, bytes.open())).rejects.toMatchObject({ code: 'ERR_SERVER_BUSY', retryAfterSeconds: 1 });
    expect(read).toBe(false);
    first.release();
    expect(bytes.held).toBe(0);
  });

  it('charges a body without Content-Length as it arrives, and gives back all of it on release', async () => {
    const bytes = new BytesInFlight(10_000);
    const budget = bytes.open();
    await readEventBody(request('{"a":1}'), budget);
    expect(bytes.held).toBe(7);
    budget.release();
    budget.release();
    expect(bytes.held).toBe(0);
  });
});
