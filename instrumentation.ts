/**
 * Runs once when the server starts: read the configuration, open (and
 * migrate) the database and start the threads now, so a bad setting or a
 * broken database stops the process at start-up instead of failing every
 * request later. authwatch runs under server.js only (npm start, npm run dev),
 * which offers the threads: there is no mode without them.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { log } = await import('./lib/log');
  try {
    const { getCore } = await import('./lib/core');
    const { scheduleRetention } = await import('./lib/retention/schedule-retention');
    const { announceFirstRun } = await import('./lib/users/first-run');
    const core = getCore();
    core.claimDatabase();
    if (!core.writer || !core.preparer) throw new Error('authwatch runs under server.js (npm start, or npm run dev), which starts its threads');
    void core.reader;
    void core.detection;
    if (core.config.AUTHWATCH_DETECTION === 'off') {
      log.warn('detection is off (AUTHWATCH_DETECTION=off): events are stored but raise no alert until it is on again', {});
    }
    announceFirstRun({ store: core.store, now: Date.now() });
    scheduleRetention();
    if (core.store.listServices().length === 0) {
      log.info('no services are registered yet', {
        next: 'npx authwatch services add NAME, then npx authwatch keys create NAME; see README.md',
      });
    }
  } catch (error) {
    process.stdout.write(
      `${JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'cannot start', error: error instanceof Error ? error.message : String(error) })}\n`,
    );
    process.exit(1);
  }
}
