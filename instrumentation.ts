/** Runs once when the server starts: open (and migrate) the database now, so a broken one fails fast. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { getStore } = await import('./lib/store');
  const { scheduleRetention } = await import('./lib/retention/schedule-retention');
  getStore();
  scheduleRetention();
}
