import { isRetryableStatus, parseRetryAfter, type Attempt } from './retry-policy';

/** What authwatch answered for one batch, per event index. */
export type BatchResult = Attempt & { rejected?: { index: number; code: string }[]; duplicates?: number };

export type SendSettings = { endpoint: string; key: string; timeoutMs: number; signal: AbortSignal };

/** POSTs pre-serialised events as one JSON array and classifies the answer. Never throws. */
export async function sendBatch(serialised: readonly string[], settings: SendSettings): Promise<BatchResult> {
  let response: Response;
  try {
    response = await fetch(settings.endpoint, {
      method: 'POST',
      headers: { authorization: `Bearer ${settings.key}`, 'content-type': 'application/json' },
      body: `[${serialised.join(',')}]`,
      signal: AbortSignal.any([settings.signal, AbortSignal.timeout(settings.timeoutMs)]),
    });
  } catch (error) {
    return { outcome: 'retry', message: describe(error) };
  }
  const text = await response.text().catch(() => '');
  if (response.ok) return { outcome: 'sent', ...readAcknowledgement(text) };
  const message = `HTTP ${response.status}${errorCode(text)}`;
  if (!isRetryableStatus(response.status)) return { outcome: 'refused', status: response.status, message };
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
  return { outcome: 'retry', status: response.status, retryAfterMs, message };
}

function readAcknowledgement(text: string): Pick<BatchResult, 'rejected' | 'duplicates'> {
  const body = parse(text) as { duplicates?: unknown; rejected?: unknown } | undefined;
  const rejected = Array.isArray(body?.rejected)
    ? body.rejected.flatMap((item: unknown) => {
        const entry = item as { index?: unknown; error?: { code?: unknown } } | null;
        return typeof entry?.index === 'number' ? [{ index: entry.index, code: String(entry.error?.code ?? 'unknown') }] : [];
      })
    : [];
  return { rejected, duplicates: typeof body?.duplicates === 'number' ? body.duplicates : 0 };
}

function errorCode(text: string): string {
  const code = (parse(text) as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code === 'string' ? ` ${code.slice(0, 64)}` : '';
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'request failed';
  const cause = (error as { cause?: { code?: unknown } }).cause?.code;
  return typeof cause === 'string' ? `${error.name}: ${cause}` : `${error.name}: ${error.message}`.slice(0, 200);
}
