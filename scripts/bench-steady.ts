/** Waits for a server's background work on a freshly copied or seeded database to settle before a benchmark measures. */
import { detectionBacklog } from '../lib/store/sqlite/sqlite-detection';

const POLL_MS = 5_000;

/**
 * Until detection has read every stored event (at most `timeoutMs`): on a
 * seeded database it starts from the first of millions, and for minutes takes
 * most of a core from the pages being measured. Says how long it waited.
 */
export async function waitForDetection(file: string, say: (line: string) => void, timeoutMs = 30 * 60_000): Promise<void> {
  const started = Date.now();
  let backlog = detectionBacklog(file);
  if (backlog === 0) return;
  say(`waiting for detection to read the ${backlog.toLocaleString('en')} events it has not seen yet (a seeded database's first start)…`);
  while (backlog > 0) {
    if (Date.now() - started > timeoutMs) throw new Error(`detection still had ${backlog} events to read after ${timeoutMs / 60_000} min`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    backlog = detectionBacklog(file);
  }
  say(`detection caught up after ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
