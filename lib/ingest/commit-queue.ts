import type { Context } from '../context';
import { fromEventRow, type EventRow } from '../store/event-row';
import type { InsertOutcome } from '../store/store';
import { FairLanes } from './fair-lanes';

/**
 * Group commit. Requests that are ready while the previous commit is still
 * being written share the next transaction: one fsync, and one write of each
 * page they dirty, instead of one per request. Every request still waits for
 * the commit that holds its events, so a 2xx still means durably stored; a
 * failed commit fails every request in it, none of whose events were stored.
 *
 * A transaction is bounded in events and in bytes, and filled by start-time
 * fair queueing between credentials, weighted by bytes, across commits
 * (fair-lanes.ts, as the preparer's FairQueue is): each commit takes the
 * requests with the smallest tags, in tag order, while they fit. A credential flooding 1 MiB batches then makes another's single events
 * wait for the commit being written, never for the flood's backlog.
 */
const MAX_EVENTS_PER_COMMIT = 5_000;
const MAX_BYTES_PER_COMMIT = 1_048_576;
const DOCUMENT = 13;

type Write = (rows: readonly EventRow[]) => Promise<InsertOutcome[]> | InsertOutcome[];
type Waiter = {
  rows: readonly EventRow[];
  bytes: number;
  resolve: (outcomes: InsertOutcome[]) => void;
  reject: (error: unknown) => void;
};

export class CommitQueue {
  /** Requests waiting, one lane per credential. */
  private readonly lanes = new FairLanes<Waiter>();
  /** A commit is scheduled or being written; the next one starts when it is done. */
  private busy = false;

  constructor(private readonly write: Write) {}

  commit(fairnessKey: string, rows: readonly EventRow[]): Promise<InsertOutcome[]> {
    let bytes = 0;
    for (const row of rows) bytes += row[DOCUMENT].length;
    return new Promise((resolve, reject) => {
      this.lanes.push(fairnessKey, bytes, { rows, bytes, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.busy) return;
    this.busy = true;
    setImmediate(() => void this.flush());
  }

  /** The next transaction: the waiting requests with the smallest start tags, in tag order, while they fit. */
  private takeGroup(): Waiter[] {
    const group: Waiter[] = [];
    let events = 0;
    let bytes = 0;
    for (let next = this.lanes.next(); next; next = this.lanes.next()) {
      const { rows, bytes: size } = next.item;
      if (group.length > 0 && (events + rows.length > MAX_EVENTS_PER_COMMIT || bytes + size > MAX_BYTES_PER_COMMIT)) break;
      group.push(this.lanes.take(next.key));
      events += rows.length;
      bytes += size;
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
      if (this.lanes.waiting > 0) this.schedule();
    }
  }
}

const queues = new WeakMap<object, CommitQueue>();

/**
 * Stores `rows` in the next group commit that `fairnessKey` (the credential)
 * has its turn in, on the writer thread if there is one; resolves once that
 * commit is durable.
 */
export function commitEvents(ctx: Pick<Context, 'store' | 'writer'>, fairnessKey: string, rows: readonly EventRow[]): Promise<InsertOutcome[]> {
  const owner = ctx.writer ?? ctx.store;
  let queue = queues.get(owner);
  if (!queue) {
    const { writer, store } = ctx;
    queue = new CommitQueue(writer ? (batch) => writer.insert(batch) : (batch) => store.insertEvents(batch.map(fromEventRow)));
    queues.set(owner, queue);
  }
  return queue.commit(fairnessKey, rows);
}
