import type { Context } from '../context';
import { fromEventRow, type EventRow } from '../store/event-row';
import type { InsertOutcome } from '../store/store';

/**
 * Group commit. Requests that are ready while the previous commit is still
 * being written share the next transaction: one fsync, and one write of each
 * page they dirty, instead of one per request. Every request still waits for
 * the commit that holds its events, so a 2xx still means durably stored; a
 * failed commit fails every request in it, none of whose events were stored.
 */
const MAX_EVENTS_PER_COMMIT = 5_000;

type Write = (rows: readonly EventRow[]) => Promise<InsertOutcome[]> | InsertOutcome[];
type Waiter = { rows: readonly EventRow[]; resolve: (outcomes: InsertOutcome[]) => void; reject: (error: unknown) => void };

class CommitQueue {
  private waiting: Waiter[] = [];
  /** A commit is scheduled or being written; the next one starts when it is done. */
  private busy = false;

  constructor(private readonly write: Write) {}

  commit(rows: readonly EventRow[]): Promise<InsertOutcome[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ rows, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.busy) return;
    this.busy = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const group: Waiter[] = [];
    let events = 0;
    while (this.waiting.length > 0 && (group.length === 0 || events + this.waiting[0].rows.length <= MAX_EVENTS_PER_COMMIT)) {
      const next = this.waiting.shift()!;
      group.push(next);
      events += next.rows.length;
    }
    try {
      const outcomes = await this.write(group.flatMap((waiter) => waiter.rows));
      let offset = 0;
      for (const waiter of group) {
        waiter.resolve(outcomes.slice(offset, offset + waiter.rows.length));
        offset += waiter.rows.length;
      }
    } catch (error) {
      for (const waiter of group) waiter.reject(error);
    } finally {
      this.busy = false;
      if (this.waiting.length > 0) this.schedule();
    }
  }
}

const queues = new WeakMap<object, CommitQueue>();

/** Stores `rows` in the next group commit, on the writer thread if there is one; resolves once that commit is durable. */
export function commitEvents(ctx: Pick<Context, 'store' | 'writer'>, rows: readonly EventRow[]): Promise<InsertOutcome[]> {
  const owner = ctx.writer ?? ctx.store;
  let queue = queues.get(owner);
  if (!queue) {
    const { writer, store } = ctx;
    queue = new CommitQueue(writer ? (batch) => writer.insert(batch) : (batch) => store.insertEvents(batch.map(fromEventRow)));
    queues.set(owner, queue);
  }
  return queue.commit(rows);
}
