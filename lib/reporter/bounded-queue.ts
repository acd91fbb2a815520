/**
 * A FIFO bounded both in items and in bytes. Items stay in it until they are
 * removed, so a batch in flight still counts against the bound. A full queue
 * refuses the new item (the OpenTelemetry batch processor's policy): the oldest
 * events, usually the start of an incident, are kept.
 */
export class BoundedQueue<T> {
  private items: { value: T; bytes: number }[] = [];
  private head = 0;
  private heldBytes = 0;

  constructor(
    private readonly maxItems: number,
    private readonly maxBytes: number,
  ) {}

  get size(): number {
    return this.items.length - this.head;
  }

  get bytes(): number {
    return this.heldBytes;
  }

  /** Adds at the tail; `false` if it would exceed either bound. */
  push(value: T, bytes: number): boolean {
    if (this.size >= this.maxItems || this.heldBytes + bytes > this.maxBytes) return false;
    this.items.push({ value, bytes });
    this.heldBytes += bytes;
    return true;
  }

  /** The longest run from the head with at most `maxItems` items and `maxBytes` bytes (at least one item). */
  peek(maxItems: number, maxBytes: number): T[] {
    const batch: T[] = [];
    let bytes = 0;
    for (let index = this.head; index < this.items.length && batch.length < maxItems; index++) {
      const item = this.items[index];
      if (batch.length > 0 && bytes + item.bytes > maxBytes) break;
      batch.push(item.value);
      bytes += item.bytes;
    }
    return batch;
  }

  /** Removes `count` items from the head. */
  shift(count: number): void {
    const end = Math.min(this.head + count, this.items.length);
    for (let index = this.head; index < end; index++) this.heldBytes -= this.items[index].bytes;
    this.head = end;
    // Compact now and then instead of shifting the array on every batch.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
