import { AuthwatchError } from '../errors';
import type { BodyBudget } from './bytes-in-flight';
import { contentEncodingOf, decodeContent } from './decode-body';
import { mayHoldSurrogates, replaceLoneSurrogates } from './well-formed';

export const MAX_BODY_BYTES = 1_048_576;
export const MAX_EVENTS_PER_REQUEST = 1000;

/** One element of a request: a parsed JSON value, or an NDJSON line that did not parse. */
export type BatchItem = { kind: 'value'; value: unknown } | { kind: 'malformed'; line: number };

/**
 * What ingest reads of a request: its headers and its body as chunks. A web
 * Request is one; server.js passes a Node request as one directly, which
 * allocates about a fifth of what wrapping it in web streams did.
 */
export type IngestRequest = {
  headers: { get(name: string): string | null };
  body: AsyncIterable<Uint8Array> | null;
};

/** A request body, read and decoded but not parsed: plain data, so it can be sent to another thread. */
export type EventBody = { mediaType: 'json' | 'ndjson'; text: string; /** Decompressed size. */ bytes: number };

const JSON_TYPES = new Set(['application/json']);
const NDJSON_TYPES = new Set(['application/x-ndjson', 'application/ndjson', 'application/jsonl']);

function mediaTypeOf(request: IngestRequest): 'json' | 'ndjson' {
  const mediaType = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (JSON_TYPES.has(mediaType)) return 'json';
  if (NDJSON_TYPES.has(mediaType)) return 'ndjson';
  throw new AuthwatchError(
    'ERR_INGEST_UNSUPPORTED_MEDIA_TYPE',
    'send events as application/json (one event or an array) or application/x-ndjson',
  );
}

/** Takes nothing: for callers with no bound on bytes in flight (tests, tools). */
const UNBOUNDED: BodyBudget = { charge: () => {}, release: () => {} };

/** How much of an oversized body is still read (and dropped) before the stream is cancelled. */
const LINGER_BYTES = 1_048_576;

/**
 * Reads at most MAX_BODY_BYTES as sent, refusing early on a declared or
 * streamed excess, and charges what it holds to `budget`: a declared length
 * before the first byte is read, the rest as chunks arrive.
 */
async function readBoundedBody(request: IngestRequest, budget: BodyBudget): Promise<Buffer> {
  const tooLarge = () => new AuthwatchError('ERR_INGEST_TOO_LARGE', `a request body may hold at most ${MAX_BODY_BYTES} bytes`);
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw tooLarge();
  let charged = Number.isFinite(declared) && declared > 0 ? declared : 0;
  budget.charge(charged);
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let received = 0;
  try {
    for await (const chunk of request.body) {
      received += chunk.byteLength;
      if (received > MAX_BODY_BYTES) {
        // A body a little too large is read to its end and dropped, so the client, still sending, gets
        // the 413 instead of a reset connection; past LINGER_BYTES leaving the loop cancels the stream.
        if (received > MAX_BODY_BYTES + LINGER_BYTES) break;
        chunks.length = 0;
        continue;
      }
      if (received > charged) {
        budget.charge(received - charged);
        charged = received;
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof AuthwatchError) throw error;
    // The body stream fails only when the connection does: the client hung up or timed out mid-upload.
    throw new AuthwatchError('ERR_CLIENT_ABORTED', 'the client closed the connection before the body was complete');
  }
  if (received > MAX_BODY_BYTES) throw tooLarge();
  return Buffer.concat(chunks);
}

function decodeUtf8(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AuthwatchError('ERR_INGEST_MALFORMED', 'the body is not valid UTF-8');
  }
}

function checkCount(count: number): void {
  if (count === 0) throw new AuthwatchError('ERR_INGEST_EMPTY', 'the body holds no events');
  if (count > MAX_EVENTS_PER_REQUEST) {
    throw new AuthwatchError('ERR_INGEST_TOO_MANY_EVENTS', `a request may hold at most ${MAX_EVENTS_PER_REQUEST} events`);
  }
}

function parseJsonBody(body: string): BatchItem[] {
  // An empty body holds no events, as an empty NDJSON body does; it is not malformed JSON.
  if (body.trim() === '') checkCount(0);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new AuthwatchError('ERR_INGEST_MALFORMED', 'the body is not valid JSON');
  }
  if (Array.isArray(parsed)) {
    checkCount(parsed.length);
    return parsed.map((value) => ({ kind: 'value', value }));
  }
  if (parsed !== null && typeof parsed === 'object') return [{ kind: 'value', value: parsed }];
  throw new AuthwatchError('ERR_INGEST_MALFORMED', 'the body must be an event object or an array of events');
}

/** NDJSON: one event per non-blank line; a line that does not parse is rejected alone. */
function parseNdjsonBody(body: string): BatchItem[] {
  const lines = body.split('\n').map((text, index) => ({ text: text.trim(), line: index + 1 }));
  const filled = lines.filter(({ text }) => text !== '');
  checkCount(filled.length);
  return filled.map(({ text, line }) => {
    try {
      return { kind: 'value', value: JSON.parse(text) };
    } catch {
      return { kind: 'malformed', line };
    }
  });
}

/**
 * Checks the media type and reads and decompresses the body within its bound,
 * charging the bytes it holds to `budget` (a decompressed body's size too);
 * parsing is left to parseEventBatch.
 */
export async function readEventBody(request: IngestRequest, budget: BodyBudget = UNBOUNDED): Promise<EventBody> {
  const mediaType = mediaTypeOf(request);
  const encoding = contentEncodingOf(request.headers.get('content-encoding'));
  const bytes = await decodeContent(await readBoundedBody(request, budget), encoding, MAX_BODY_BYTES);
  if (encoding !== 'identity') budget.charge(bytes.length);
  return { mediaType, text: decodeUtf8(bytes), bytes: bytes.length };
}

export function parseEventBatch(body: EventBody): BatchItem[] {
  const items = body.mediaType === 'json' ? parseJsonBody(body.text) : parseNdjsonBody(body.text);
  return mayHoldSurrogates(body.text) ? items.map(replaceLoneSurrogates) : items;
}
