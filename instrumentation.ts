/**
 * Runs once when the server starts: read the configuration and open (and
 * migrate) the database now, so a bad setting or a broken database stops the
 * process at start-up instead of failing every request later.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { log } = await import('./lib/log');
  try {
    const { getStore, startIndexing } = await import('./lib/store');
    const { scheduleRetention } = await import('./lib/retention/schedule-retention');
    const { announceFirstRun } = await import('./lib/users/first-run');
    const store = getStore();
    announceFirstRun({ store, now: Date.now() });
    startIndexing();
    scheduleRetention();
    if (store.listServices().length === 0) {
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
