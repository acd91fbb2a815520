import type { EventRecord, InsertOutcome, Store } from '../store/store';

/**
 * Group commit. Requests whose events are ready in the same turn of the event
 * loop share one transaction: one fsync and one write of each dirtied index
 * page instead of one per request. Every request still waits for the commit
 * that holds its events, so a 2xx still means durably stored; a failed commit
 * fails every request in it, none of whose events were stored.
 */
const MAX_EVENTS_PER_COMMIT = 5_000;

type Waiter = { records: readonly EventRecord[]; resolve: (outcomes: InsertOutcome[]) => void; reject: (error: unknown) => void };

class CommitQueue {
  private waiting: Waiter[] = [];
  private scheduled = false;

  constructor(private readonly store: Store) {}

  commit(records: readonly EventRecord[]): Promise<InsertOutcome[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ records, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const group: Waiter[] = [];
    let events = 0;
    while (this.waiting.length > 0 && (group.length === 0 || events + this.waiting[0].records.length <= MAX_EVENTS_PER_COMMIT)) {
      const next = this.waiting.shift()!;
      group.push(next);
      events += next.records.length;
    }
    if (this.waiting.length > 0) this.schedule();
    let outcomes: InsertOutcome[];
    try {
      outcomes = this.store.insertEvents(group.flatMap((waiter) => waiter.records));
    } catch (error) {
      for (const waiter of group) waiter.reject(error);
      return;
    }
    let offset = 0;
    for (const waiter of group) {
      waiter.resolve(outcomes.slice(offset, offset + waiter.records.length));
      offset += waiter.records.length;
    }
  }
}

const queues = new WeakMap<Store, CommitQueue>();

/** Stores `records` in the next group commit of `store`; resolves once that commit is durable. */
export function commitEvents(store: Store, records: readonly EventRecord[]): Promise<InsertOutcome[]> {
  let queue = queues.get(store);
  if (!queue) {
    queue = new CommitQueue(store);
    queues.set(store, queue);
  }
  return queue.commit(records);
}
