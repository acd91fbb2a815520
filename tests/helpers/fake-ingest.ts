import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for authwatch's ingest endpoint on 127.0.0.1, for reporter tests:
 * records every request and answers what the test scripted (by default
 * `200 { accepted: n, duplicates: 0, rejected: [] }`).
 */
export type ReceivedRequest = { at: number; headers: http.IncomingHttpHeaders; body: string; events: { id: string; [key: string]: unknown }[] };
export type Answer = { status: number; headers?: Record<string, string>; body?: unknown };
export type Responder = (request: ReceivedRequest, index: number) => Answer;

export type FakeIngest = {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  respond(responder: Responder): void;
  /** Resolves once `count` requests have arrived. */
  waitForRequests(count: number, timeoutMs?: number): Promise<void>;
  /** Stops listening (the port then refuses connections) and drops open connections. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
};

export const acceptAll: Responder = (request) => ({
  status: 200,
  body: { accepted: request.events.length, duplicates: 0, rejected: [] },
});

export async function startFakeIngest(port = 0): Promise<FakeIngest> {
  const requests: ReceivedRequest[] = [];
  let responder: Responder = acceptAll;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const received: ReceivedRequest = { at: Date.now(), headers: req.headers, body, events: JSON.parse(body) };
      requests.push(received);
      const answer = responder(received, requests.length - 1);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  const listen = (on: number) =>
    new Promise<number>((resolve) => server.listen(on, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
  const bound = await listen(port);
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    requests,
    respond: (next) => void (responder = next),
    waitForRequests: async (count, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} requests, got ${requests.length}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    restart: async () => void (await listen(bound)),
  };
}
