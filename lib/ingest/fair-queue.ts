import { FairLanes } from './fair-lanes';

/**
 * Runs tasks while their costs in flight stay within `capacity` (always at
 * least one), sharing it between keys by cost (start-time fair queueing,
 * fair-lanes.ts): a key sending 1 MiB batches and a key sending single events
 * get the same bytes per second of work when both wait, so the single events
 * wait for the batches being prepared, never for the whole backlog of them;
 * and small tasks are never held to a few at a time.
 */
type Queued = { cost: number; begin: () => void };

export class FairQueue {
  private running = 0;
  private inFlight = 0;
  /** A key's lane is held while its tasks run, so its used share outlives its last waiting task. */
  private readonly lanes = new FairLanes<Queued>();

  constructor(private readonly capacity: number) {
    if (capacity < 1) throw new Error('capacity must be at least 1');
  }

  /** Runs `task` in `key`'s turn; `cost` is its share of the work (a body's bytes). */
  run<T>(key: string, cost: number, task: () => Promise<T>): Promise<T> {
    const weight = Math.max(1, cost);
    return new Promise<T>((resolve, reject) => {
      this.lanes.push(key, weight, {
        cost: weight,
        begin: () => {
          this.running += 1;
          this.inFlight += weight;
          task()
            .then(resolve, reject)
            .finally(() => {
              this.running -= 1;
              this.inFlight -= weight;
              this.lanes.release(key);
              this.startNext();
            });
        },
      });
      this.startNext();
    });
  }

  /** Tasks waiting, all keys together. */
  get backlog(): number {
    return this.lanes.waiting;
  }

  private startNext(): void {
    for (;;) {
      const next = this.lanes.next((queued) => this.running === 0 || this.inFlight + queued.cost <= this.capacity);
      if (!next) return;
      this.lanes.take(next.key, true).begin();
    }
  }
}
