import 'server-only';
import { getConfig } from '../config';
import { getCore } from '../core';
import { log } from '../log';
import { requestContext } from '../request-context';
import { runRetention } from './run-retention';

/** Runs retention at start-up and then every AUTHWATCH_RETENTION_INTERVAL_MINUTES, inside the server. */
export function scheduleRetention(): void {
  const config = getConfig();
  let stopped = false;
  let running = false;
  const tick = async () => {
    if (running || stopped) return;
    running = true;
    try {
      const report = await runRetention({
        ctx: requestContext(),
        input: {
          eventDays: config.AUTHWATCH_RETENTION_DAYS,
          rollupDays: config.AUTHWATCH_ROLLUP_RETENTION_DAYS,
          chunk: config.AUTHWATCH_RETENTION_CHUNK,
          shouldStop: () => stopped,
        },
      });
      if (report.eventsDeleted + report.rollupsDeleted > 0) log.info('retention', { ...report });
    } catch (error) {
      log.warn('retention run failed; will retry', { error: error instanceof Error ? error.message : 'unknown' });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), config.AUTHWATCH_RETENTION_INTERVAL_MINUTES * 60_000);
  timer.unref();
  setTimeout(() => void tick(), 5_000).unref();
  getCore().onShutdown('retention', () => {
    stopped = true;
    clearInterval(timer);
  });
}
