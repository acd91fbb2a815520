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
 * A transaction is bounded in events and in bytes, and filled by start-time
 * fair queueing between credentials, weighted by bytes, across commits (as
 * the preparer's FairQueue is): a request is tagged with the virtual time its
 * credential's share reaches it, and each commit takes the smallest tags that
 * fit. A credential flooding 1 MiB batches then makes another's single events
 * wait for the commit being written, never for the flood's backlog.
 */
const MAX_EVENTS_PER_COMMIT = 5_000;
const MAX_BYTES_PER_COMMIT = 1_048_576;
const DOCUMENT = 13;

type Write = (rows: readonly EventRow[]) => Promise<InsertOutcome[]> | InsertOutcome[];
type Waiter = {
  rows: readonly EventRow[];
  bytes: number;
  /** The virtual time at which its credential's share reaches it. */
  start: number;
  resolve: (outcomes: InsertOutcome[]) => void;
  reject: (error: unknown) => void;
};
/** One credential's requests, oldest first; `finish` is where its share's next request starts. */
type Lane = { waiting: Waiter[]; finish: number };

export class CommitQueue {
  /** Credentials with requests waiting; a lane that empties is forgotten. */
  private readonly lanes = new Map<string, Lane>();
  /** The start tag of the request taken last. */
  private virtualTime = 0;
  /** A commit is scheduled or being written; the next one starts when it is done. */
  private busy = false;

  constructor(private readonly write: Write) {}

  commit(fairnessKey: string, rows: readonly EventRow[]): Promise<InsertOutcome[]> {
    let bytes = 0;
    for (const row of rows) bytes += row[DOCUMENT].length;
    let lane = this.lanes.get(fairnessKey);
    if (!lane) {
      lane = { waiting: [], finish: this.virtualTime };
      this.lanes.set(fairnessKey, lane);
    }
    const start = Math.max(this.virtualTime, lane.finish);
    lane.finish = start + Math.max(1, bytes);
    const owner = lane;
    return new Promise((resolve, reject) => {
      owner.waiting.push({ rows, bytes, start, resolve, reject });
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
    for (;;) {
      let next: [string, Lane] | undefined;
      for (const entry of this.lanes) if (!next || entry[1].waiting[0].start < next[1].waiting[0].start) next = entry;
      if (!next) break;
      const [key, lane] = next;
      const head = lane.waiting[0];
      if (group.length > 0 && (events + head.rows.length > MAX_EVENTS_PER_COMMIT || bytes + head.bytes > MAX_BYTES_PER_COMMIT)) break;
      lane.waiting.shift();
      if (lane.waiting.length === 0) this.lanes.delete(key);
      this.virtualTime = Math.max(this.virtualTime, head.start);
      group.push(head);
      events += head.rows.length;
      bytes += head.bytes;
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
      if (this.lanes.size > 0) this.schedule();
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
