import type { Context } from '../context';
import { fromEventRow, type EventRow } from '../store/event-row';
import type { InsertOutcome } from '../store/store';

/**
 * Group commit. Requests that are ready while the previous commit is still
 * being written share the next transaction: one fsync, and one write of each
 * page they dirty, instead of one per request. Every request still waits for
 * the commit that holds its events, so a 2xx still means durably stored; a
 * failed commit fails every request in it, none of whose events were stored.
 *
 * A transaction is bounded in events and in bytes, and is shared between
 * services by bytes: one service's flood of large batches cannot make
 * another's single events wait for more than the commit being written.
 */
const MAX_EVENTS_PER_COMMIT = 5_000;
const MAX_BYTES_PER_COMMIT = 1_048_576;
const DOCUMENT = 13;

type Write = (rows: readonly EventRow[]) => Promise<InsertOutcome[]> | InsertOutcome[];
type Waiter = {
  rows: readonly EventRow[];
  service: number;
  bytes: number;
  resolve: (outcomes: InsertOutcome[]) => void;
  reject: (error: unknown) => void;
};

class CommitQueue {
  private waiting: Waiter[] = [];
  /** A commit is scheduled or being written; the next one starts when it is done. */
  private busy = false;

  constructor(private readonly write: Write) {}

  commit(rows: readonly EventRow[]): Promise<InsertOutcome[]> {
    let bytes = 0;
    for (const row of rows) bytes += row[DOCUMENT].length;
    return new Promise((resolve, reject) => {
      this.waiting.push({ rows, service: rows[0]?.[3] ?? 0, bytes, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.busy) return;
    this.busy = true;
    setImmediate(() => void this.flush());
  }

  /**
   * The next transaction: again and again the oldest waiting request of the
   * service that has the fewest bytes in it so far, until a bound is reached.
   * Many small requests then share a commit with one large one.
   */
  private takeGroup(): Waiter[] {
    const group: Waiter[] = [];
    const taken = new Map<number, number>();
    let events = 0;
    let bytes = 0;
    while (this.waiting.length > 0) {
      let pick = 0;
      for (let index = 1; index < this.waiting.length; index++) {
        if ((taken.get(this.waiting[index].service) ?? 0) < (taken.get(this.waiting[pick].service) ?? 0)) pick = index;
      }
      const next = this.waiting[pick];
      if (group.length > 0 && (events + next.rows.length > MAX_EVENTS_PER_COMMIT || bytes + next.bytes > MAX_BYTES_PER_COMMIT)) break;
      this.waiting.splice(pick, 1);
      group.push(next);
      taken.set(next.service, (taken.get(next.service) ?? 0) + next.bytes);
      events += next.rows.length;
      bytes += next.bytes;
    }
    return group;
  }

  private async flush(): Promise<void> {
    const group = this.takeGroup();
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
