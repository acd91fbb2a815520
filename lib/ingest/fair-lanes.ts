/**
 * Start-time fair queueing between keys, weighted by cost: an item is tagged
 * with the virtual time its key's share reaches it (the end of the key's
 * previous item, or the current virtual time if later), and the waiting item
 * with the smallest tag goes next. A key sending 1 MiB batches and a key
 * sending single events then get the same bytes of service while both wait:
 * the single events wait for the batch being served, never for the whole
 * backlog of them. The preparer (fair-queue.ts) and the group commits
 * (commit-queue.ts) both take their turns from it.
 */
type Tagged<T> = { start: number; item: T };
type Lane<T> = { waiting: Tagged<T>[]; finish: number; held: number };

export class FairLanes<T> {
  /** The tag of the item taken last. */
  private virtualTime = 0;
  /** Keys with items waiting or held; a key whose lane empties is forgotten, and starts afresh. */
  private readonly lanes = new Map<string, Lane<T>>();

  /** Queues `item` in `key`'s lane; `cost` is its share of the work (at least 1). */
  push(key: string, cost: number, item: T): void {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { waiting: [], finish: this.virtualTime, held: 0 };
      this.lanes.set(key, lane);
    }
    const start = Math.max(this.virtualTime, lane.finish);
    lane.finish = start + Math.max(1, cost);
    lane.waiting.push({ start, item });
  }

  /** The key whose next item has the smallest tag among the items `eligible` accepts (ties: the key queued first). */
  next(eligible: (item: T) => boolean = () => true): { key: string; item: T } | undefined {
    let best: { key: string; head: Tagged<T> } | undefined;
    for (const [key, lane] of this.lanes) {
      const head = lane.waiting[0];
      if (!head || !eligible(head.item)) continue;
      if (!best || head.start < best.head.start) best = { key, head };
    }
    return best && { key: best.key, item: best.head.item };
  }

  /**
   * Takes `key`'s next item (the one `next` named) and moves the virtual time
   * to its tag. With `hold`, the lane, and the share it has used, outlives its
   * last item until `release`: a key whose task is still running does not
   * start afresh.
   */
  take(key: string, hold = false): T {
    const lane = this.lanes.get(key);
    const taken = lane?.waiting.shift();
    if (!lane || !taken) throw new Error('nothing waiting for this key');
    this.virtualTime = Math.max(this.virtualTime, taken.start);
    if (hold) lane.held += 1;
    this.forgetIfIdle(key, lane);
    return taken.item;
  }

  /** Ends one hold that `take` placed on `key`'s lane. */
  release(key: string): void {
    const lane = this.lanes.get(key);
    if (!lane) return;
    lane.held -= 1;
    this.forgetIfIdle(key, lane);
  }

  /** Items waiting, all keys together. */
  get waiting(): number {
    let count = 0;
    for (const lane of this.lanes.values()) count += lane.waiting.length;
    return count;
  }

  private forgetIfIdle(key: string, lane: Lane<T>): void {
    if (lane.waiting.length === 0 && lane.held === 0) this.lanes.delete(key);
  }
}
