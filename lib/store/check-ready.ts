import 'server-only';
import type { Context } from '../context';

/**
 * Whether the store accepts writes, for GET /api/ready. In the server, the
 * last write's outcome answers (a probe at most once a second, on the writer
 * thread; event-writer.ts), so readiness follows a full disk or a lost file and
 * a flood of probes costs nothing. Without a writer thread, one write here.
 */
export async function checkReady({ ctx }: { ctx: Context }): Promise<void> {
  if (ctx.writer) return ctx.writer.ready();
  ctx.store.checkWritable(ctx.now);
}
