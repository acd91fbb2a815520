/**
 * Runs tasks while their costs in flight stay within `capacity` (always at
 * least one), sharing it between keys by cost (start-time fair queueing):
 * each task is tagged with the virtual time its key's share reaches it, and
 * the smallest tag that fits runs next. A key sending 1 MiB batches and a key
 * sending single events get the same bytes per second of work when both wait,
 * so the single events wait for the batches being prepared, never for the
 * whole backlog of them; and small tasks are never held to a few at a time.
 */
type Queued = { start: number; cost: number; begin: () => void };
type Lane = { tasks: Queued[]; finish: number; running: number };

export class FairQueue {
  private running = 0;
  private inFlight = 0;
  /** The start tag of the task started last. */
  private virtualTime = 0;
  /** Keys with tasks waiting or running; a key whose lane empties is forgotten. */
  private readonly lanes = new Map<string, Lane>();

  constructor(private readonly capacity: number) {
    if (capacity < 1) throw new Error('capacity must be at least 1');
  }

  /** Runs `task` in `key`'s turn; `cost` is its share of the work (a body's bytes). */
  run<T>(key: string, cost: number, task: () => Promise<T>): Promise<T> {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { tasks: [], finish: this.virtualTime, running: 0 };
      this.lanes.set(key, lane);
    }
    const owner = lane;
    const weight = Math.max(1, cost);
    const start = Math.max(this.virtualTime, owner.finish);
    owner.finish = start + weight;
    return new Promise<T>((resolve, reject) => {
      owner.tasks.push({
        start,
        cost: weight,
        begin: () => {
          this.running += 1;
          this.inFlight += weight;
          owner.running += 1;
          task()
            .then(resolve, reject)
            .finally(() => {
              this.running -= 1;
              this.inFlight -= weight;
              owner.running -= 1;
              if (owner.running === 0 && owner.tasks.length === 0) this.lanes.delete(key);
              this.startNext();
            });
        },
      });
      this.startNext();
    });
  }

  /** Tasks waiting, all keys together. */
  get backlog(): number {
    let count = 0;
    for (const lane of this.lanes.values()) count += lane.tasks.length;
    return count;
  }

  private startNext(): void {
    for (;;) {
      let next: Lane | undefined;
      for (const lane of this.lanes.values()) {
        const head = lane.tasks[0];
        if (!head || (this.running > 0 && this.inFlight + head.cost > this.capacity)) continue;
        if (!next || head.start < next.tasks[0].start) next = lane;
      }
      if (!next) return;
      const queued = next.tasks.shift()!;
      this.virtualTime = Math.max(this.virtualTime, queued.start);
      queued.begin();
    }
  }
}
