import { z } from 'zod';
import { AuthwatchError } from '../errors';
import type { BucketSize } from '../store/store';

/** The time-range picker's presets, shortest first, with their length in ms. */
export const RANGE_PRESETS = { '15m': 15 * 60_000, '1h': 3_600_000, '6h': 6 * 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type RangePreset = keyof typeof RANGE_PRESETS;
export const RANGE_NAMES = Object.keys(RANGE_PRESETS) as [RangePreset, ...RangePreset[]];

/** The longest custom range a chart accepts: the retention horizon is 30 days; 90 leaves room. */
const MAX_SPAN = 90 * 86_400_000;
const rfc3339 = z.iso.datetime({ offset: true, local: false }).transform((text) => Date.parse(text));

/** A range as the URL carries it: `range=24h`, or `from`/`to` in RFC 3339 (custom). */
export const TimeRangeParams = z.object({
  range: z.enum(RANGE_NAMES).optional(),
  from: rfc3339.optional(),
  to: rfc3339.optional(),
});

/** A resolved range: [from, to) in epoch ms, the preset it came from (or null for custom), and the chart bucket. */
export type TimeRange = { from: number; to: number; preset: RangePreset | null; bucket: BucketSize; bucketMs: number };

const BUCKET_MS: Record<BucketSize, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** At most ~360 buckets per chart: minutes up to 6 h, hours up to 15 days, days beyond. */
export function bucketFor(span: number): BucketSize {
  if (span <= 6 * 3_600_000) return 'minute';
  if (span <= 15 * 86_400_000) return 'hour';
  return 'day';
}

/** Resolves URL parameters to a range ending now (presets) or the given span (custom); 24 h by default. */
export function resolveTimeRange(input: z.infer<typeof TimeRangeParams>, now: number): TimeRange {
  let from: number;
  let to: number;
  let preset: RangePreset | null = null;
  if (input.range || input.from === undefined) {
    preset = input.range ?? '24h';
    to = now;
    from = now - RANGE_PRESETS[preset];
  } else {
    from = input.from;
    to = input.to ?? now;
    if (from >= to) throw new AuthwatchError('ERR_QUERY_INVALID', 'from must be before to');
    if (to - from > MAX_SPAN) throw new AuthwatchError('ERR_QUERY_INVALID', 'the range may span at most 90 days');
  }
  const bucket = bucketFor(to - from);
  return { from, to, preset, bucket, bucketMs: BUCKET_MS[bucket] };
}

/** Reads a page's searchParams object (Next.js) into the TimeRangeParams shape, ignoring what is malformed. */
export function rangeFromPageParams(params: Record<string, string | string[] | undefined>): z.infer<typeof TimeRangeParams> {
  const one = (name: string) => {
    const value = params[name];
    return Array.isArray(value) ? value.at(-1) : value;
  };
  const parsed = TimeRangeParams.safeParse({ range: one('range'), from: one('from'), to: one('to') });
  return parsed.success ? parsed.data : {};
}

/** The range a page's URL asks for; the default (24 h) when it asks for an impossible one. */
export function resolvePageRange(params: Record<string, string | string[] | undefined>, now: number): TimeRange {
  try {
    return resolveTimeRange(rangeFromPageParams(params), now);
  } catch {
    return resolveTimeRange({}, now);
  }
}
