import { parentPort } from 'node:worker_threads';
import { log } from '../log';
import { toFailure, type ThreadReply, type ThreadRequest } from './thread-messages';

/**
 * The worker side of thread-client.ts: answers each request with `handle`'s
 * result or its error's code, and on `close` calls `onClose` and lets the
 * thread end. Only the class of an unexpected error is logged: its message
 * could quote event data.
 */
export function serveRequests<Payload, Value>(name: string, handle: (payload: Payload) => Value, onClose: () => void = () => {}): void {
  const port = parentPort;
  if (!port) throw new Error(`the ${name} runs as a worker thread`);
  const reply = (message: ThreadReply<Value>) => port.postMessage(message);
  port.on('message', (request: ThreadRequest<Payload>) => {
    if (request.kind === 'close') {
      onClose();
      port.close();
      return;
    }
    try {
      reply({ kind: 'done', id: request.id, value: handle(request.payload) });
    } catch (error) {
      const failure = toFailure(error, `the ${name} failed`);
      if (failure.code === 'ERR_INTERNAL') log.error(`${name} failed`, { error: error instanceof Error ? error.name : 'unknown' });
      reply({ kind: 'failed', id: request.id, failure });
    }
  });
}
