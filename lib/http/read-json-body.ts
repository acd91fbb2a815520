import { AuthwatchError } from '../errors';

/** Admin and sign-in bodies are small: a few fields. */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

const tooLarge = () => new AuthwatchError('ERR_BODY_TOO_LARGE', `a request body may hold at most ${MAX_JSON_BODY_BYTES} bytes`);

async function readText(request: Request): Promise<string> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_JSON_BODY_BYTES) throw tooLarge();
  if (!request.body) return '';
  const chunks: Uint8Array[] = [];
  let received = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    received += chunk.byteLength;
    if (received > MAX_JSON_BODY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AuthwatchError('ERR_INVALID_INPUT', 'the body is not valid UTF-8');
  }
}

/**
 * A JSON endpoint's body. Anything but application/json is refused with 415,
 * so a cross-site form (urlencoded, multipart, text/plain) can never be read as
 * a command. A request with no body at all reads as `{}`.
 */
export async function readJsonBody(request: Request): Promise<unknown> {
  const mediaType = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  const text = await readText(request);
  if (mediaType === '' && text === '') return {};
  if (mediaType !== 'application/json') throw new AuthwatchError('ERR_UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AuthwatchError('ERR_INVALID_INPUT', 'the body is not valid JSON');
  }
}
