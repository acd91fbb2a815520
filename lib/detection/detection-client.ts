import 'server-only';
import { ThreadClient, offeredThread } from '../threads/thread-client';
import type { DatabaseOptions } from '../store/sqlite/database';

/** What the detection thread is started with (detection-thread.ts). */
export type DetectionData = { database: Omit<DatabaseOptions, 'readOnly'>; intervalMs: number; batchLimit: number; publicUrl: string };

export type DetectionRequest = { kind: 'figures' };

/**
 * What the thread reports for metrics: alerts opened since it started, by
 * `rule|severity`; alerts open now (open or acknowledged), likewise; and the
 * sequence it has evaluated up to.
 */
export type DetectionFigures = { fired: Record<string, number>; open: Record<string, number>; position: number };

export interface Detection {
  figures(): Promise<DetectionFigures>;
  /** Alerts opened since the last call, by `rule|severity`, for a counter that only goes up. */
  newlyFired(figures: DetectionFigures): Record<string, number>;
  close(): Promise<void>;
}

/** The detection thread, where server.js offers one (the core starts it once, lib/core.ts). */
export function startDetectionThread(data: DetectionData): Detection | undefined {
  const spawnThread = offeredThread<DetectionData>('detection');
  if (!spawnThread) return undefined;
  const thread = new ThreadClient<DetectionRequest, DetectionFigures>('detection', () => spawnThread(data));
  const reported: Record<string, number> = {};
  return {
    figures: () => thread.request({ kind: 'figures' }),
    newlyFired: ({ fired }) => {
      const fresh: Record<string, number> = {};
      for (const [key, total] of Object.entries(fired)) {
        // A restarted thread counts from zero again: all it reports is new.
        const delta = total >= (reported[key] ?? 0) ? total - (reported[key] ?? 0) : total;
        if (delta > 0) fresh[key] = delta;
        reported[key] = total;
      }
      return fresh;
    },
    close: () => thread.close(),
  };
}
