/**
 * Runs tasks at most `concurrency` at a time, taking turns between keys: the
 * next task started is that of the waiting key served least recently. A key's
 * next task waits behind one task of every other waiting key, never behind
 * another key's whole backlog: one credential's flood of large batches delays
 * another's single event by about one batch, not by all of them.
 */
type Lane = { tasks: (() => void)[]; running: number; lastTurn: number };

export class FairQueue {
  private running = 0;
  private turn = 0;
  /** Keys with tasks waiting or running; a key whose lane empties is forgotten. */
  private readonly lanes = new Map<string, Lane>();

  constructor(private readonly concurrency: number) {
    if (concurrency < 1) throw new Error('concurrency must be at least 1');
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { tasks: [], running: 0, lastTurn: -1 };
      this.lanes.set(key, lane);
    }
    const owner = lane;
    return new Promise<T>((resolve, reject) => {
      owner.tasks.push(() => {
        this.running += 1;
        owner.running += 1;
        task()
          .then(resolve, reject)
          .finally(() => {
            this.running -= 1;
            owner.running -= 1;
            if (owner.running === 0 && owner.tasks.length === 0) this.lanes.delete(key);
            this.startNext();
          });
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
    while (this.running < this.concurrency) {
      let next: Lane | undefined;
      for (const lane of this.lanes.values()) {
        if (lane.tasks.length > 0 && (!next || lane.lastTurn < next.lastTurn)) next = lane;
      }
      if (!next) return;
      this.turn += 1;
      next.lastTurn = this.turn;
      next.tasks.shift()!();
    }
  }
}
