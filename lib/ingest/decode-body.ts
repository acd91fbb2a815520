import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { AuthwatchError } from '../errors';

/**
 * Content-Encoding: log shippers (Vector, Fluent Bit, OpenTelemetry
 * collectors) send gzip. The size bound applies to what the body decompresses
 * to, and decompression stops as soon as it is passed, so a bomb costs at most
 * that; a body that expands more than deflate's honest ratios allow is refused
 * as one. Decompression runs on libuv's thread pool, not the event loop.
 */
export type ContentEncoding = 'identity' | 'gzip' | 'deflate';

/** JSON events compress 10–50×; deflate's ceiling is about 1,000×. */
export const MAX_COMPRESSION_RATIO = 200;
/** Bodies below this size are never refused for their ratio. */
const RATIO_FLOOR_BYTES = 64 * 1024;

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);

export function contentEncodingOf(header: string | null): ContentEncoding {
  const encoding = (header ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return 'identity';
  if (encoding === 'gzip' || encoding === 'x-gzip') return 'gzip';
  if (encoding === 'deflate') return 'deflate';
  throw new AuthwatchError('ERR_INGEST_UNSUPPORTED_ENCODING', 'send the body uncompressed, or with Content-Encoding gzip or deflate');
}

function isOverLimit(error: unknown): boolean {
  return error instanceof RangeError || (error instanceof Error && 'code' in error && error.code === 'ERR_BUFFER_TOO_LARGE');
}

/** The body as sent, decompressed within `maxBytes`. */
export async function decodeContent(raw: Buffer, encoding: ContentEncoding, maxBytes: number): Promise<Buffer> {
  if (encoding === 'identity') return raw;
  let decoded: Buffer;
  try {
    decoded = await (encoding === 'gzip' ? gunzip : inflate)(raw, { maxOutputLength: maxBytes });
  } catch (error) {
    if (isOverLimit(error)) {
      throw new AuthwatchError('ERR_INGEST_TOO_LARGE', `a request body may decompress to at most ${maxBytes} bytes`);
    }
    throw new AuthwatchError('ERR_INGEST_MALFORMED', `the body is not valid ${encoding} data`);
  }
  if (decoded.length > RATIO_FLOOR_BYTES && decoded.length > raw.length * MAX_COMPRESSION_RATIO) {
    throw new AuthwatchError('ERR_INGEST_TOO_LARGE', `the body expands more than ${MAX_COMPRESSION_RATIO}:1; send it less compressed`);
  }
  return decoded;
}
