import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_BODY_BYTES = 16 * 1024;

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  response.end(JSON.stringify(body));
}

/** The request body as text, at most 16 KiB (more is an error the caller answers with 413). */
export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export type SafeListener = ((request: IncomingMessage, response: ServerResponse) => void) & {
  /** Resolves once every request handled so far has finished (or after `timeoutMs`): a stopping server waits for it, so no handler reports an event after its reporter closed. */
  settled(timeoutMs?: number): Promise<void>;
};

/** Runs an async handler and turns anything it throws into a 500 instead of a crash; keeps track of the handlers still running. */
export function safely(handler: (request: IncomingMessage, response: ServerResponse) => Promise<void>): SafeListener {
  const running = new Set<Promise<void>>();
  const listener = (request: IncomingMessage, response: ServerResponse) => {
    const handled = handler(request, response).catch((error: unknown) => {
      process.stderr.write(`${JSON.stringify({ msg: 'handler failed', error: String(error) })}\n`);
      sendJson(response, 500, { error: 'server_error' });
    });
    running.add(handled);
    void handled.finally(() => running.delete(handled));
  };
  return Object.assign(listener, {
    settled: async (timeoutMs = 5_000) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([Promise.allSettled([...running]), timeout]);
      clearTimeout(timer);
    },
  });
}
