import net from 'node:net';

/** Thin HTTP helpers for talking to the server under test; every request has a timeout. */
export type Reply = { status: number; headers: Headers; text: string; json: unknown };

export type PostOptions = { key?: string | null; contentType?: string; headers?: Record<string, string> };

const REQUEST_TIMEOUT_MS = 30_000;

export async function toReply(response: Response): Promise<Reply> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** POSTs `body` to /api/v1/events: objects and arrays as JSON, strings as they are. */
export async function postEvents(url: string, body: unknown, options: PostOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? 'application/json',
    ...options.headers,
  };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  const response = await fetch(`${url}/api/v1/events`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  return toReply(response);
}

export async function get(url: string, route: string, headers: Record<string, string> = {}): Promise<Reply> {
  const response = await fetch(`${url}${route}`, { headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  return toReply(response);
}

export type IngestResult = { accepted: number; duplicates: number; rejected: { index: number; error: { code: string } }[] };

export function ingestResult(reply: Reply): IngestResult {
  if (reply.status !== 200) throw new Error(`expected 200, got ${reply.status}: ${reply.text}`);
  return reply.json as IngestResult;
}

export function errorCode(reply: Reply): string | undefined {
  const body = reply.json as { error?: { code?: string } } | undefined;
  return body?.error?.code;
}

/** Sends raw HTTP/1.1 bytes to the server at `url` and resolves with what it answered before closing. */
export function rawExchange(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let answer = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.write(request);
  });
}
