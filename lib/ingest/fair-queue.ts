/**
 * Runs tasks at most `concurrency` at a time, taking turns between keys: a
 * key's next task waits behind one task of every other key that is waiting,
 * never behind that key's whole backlog. One credential's flood of large
 * batches then delays another's single event by about one batch, not by all of
 * them.
 */
export class FairQueue {
  private running = 0;
  /** Waiting tasks by key; a Map keeps insertion order, and a key that took its turn goes to the back. */
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(private readonly concurrency: number) {
    if (concurrency < 1) throw new Error('concurrency must be at least 1');
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.running += 1;
        task()
          .then(resolve, reject)
          .finally(() => {
            this.running -= 1;
            this.startNext();
          });
      };
      const queue = this.waiting.get(key);
      if (queue) queue.push(start);
      else this.waiting.set(key, [start]);
      this.startNext();
    });
  }

  /** Tasks waiting, all keys together. */
  get backlog(): number {
    let count = 0;
    for (const queue of this.waiting.values()) count += queue.length;
    return count;
  }

  private startNext(): void {
    while (this.running < this.concurrency && this.waiting.size > 0) {
      const [key, queue] = this.waiting.entries().next().value as [string, (() => void)[]];
      const start = queue.shift()!;
      this.waiting.delete(key);
      if (queue.length > 0) this.waiting.set(key, queue);
      start();
    }
  }
}
