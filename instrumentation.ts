/** Runs once when the server starts: open (and migrate) the database now, so a broken one fails fast. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { getStore } = await import('./lib/store');
  const { scheduleRetention } = await import('./lib/retention/schedule-retention');
  const { log } = await import('./lib/log');
  const store = getStore();
  scheduleRetention();
  if (store.listServices().length === 0) {
    log.info('no services are registered yet', {
      next: 'npx authwatch services add NAME, then npx authwatch keys create NAME; see README.md',
    });
  }
}
