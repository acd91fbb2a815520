import type { EventErrorCode } from '../errors';

/**
 * The rejected items of a batch, as a response can carry them: the first
 * MAX_LISTED_REJECTIONS in full (index, code, message), the rest only counted
 * by code. A thousand tiny bad items then answer a few kilobytes, not hundreds.
 */
export const MAX_LISTED_REJECTIONS = 100;

export type ItemRejection = { index: number; error: { code: EventErrorCode; message: string } };
export type OmittedRejections = { count: number; by_code: Partial<Record<EventErrorCode, number>> };
/** Plain data, so it can come back from another thread. */
export type Rejections = { listed: ItemRejection[]; omitted: OmittedRejections | null };

export function noRejections(): Rejections {
  return { listed: [], omitted: null };
}

export function addRejection(rejections: Rejections, rejection: ItemRejection): void {
  if (rejections.listed.length < MAX_LISTED_REJECTIONS) {
    rejections.listed.push(rejection);
    return;
  }
  rejections.omitted ??= { count: 0, by_code: {} };
  rejections.omitted.count += 1;
  const { code } = rejection.error;
  rejections.omitted.by_code[code] = (rejections.omitted.by_code[code] ?? 0) + 1;
}

export function rejectionCount(rejections: Rejections): number {
  return rejections.listed.length + (rejections.omitted?.count ?? 0);
}

/** Every rejection's code, as many times as it occurred: what the metrics count. */
export function rejectedCodes(rejections: Rejections): [EventErrorCode, number][] {
  const counts = new Map<EventErrorCode, number>();
  for (const { error } of rejections.listed) counts.set(error.code, (counts.get(error.code) ?? 0) + 1);
  for (const [code, count] of Object.entries(rejections.omitted?.by_code ?? {}) as [EventErrorCode, number][]) {
    counts.set(code, (counts.get(code) ?? 0) + count);
  }
  return [...counts];
}
