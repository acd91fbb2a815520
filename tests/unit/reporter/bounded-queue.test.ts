import { describe, expect, it } from 'vitest';
import { BoundedQueue } from '@/lib/reporter/bounded-queue';

describe('BoundedQueue', () => {
  it('refuses a new item once it holds its maximum number of items', () => {
    const queue = new BoundedQueue<string>(2, 1_000);
    expect([queue.push('a', 1), queue.push('b', 1), queue.push('c', 1)]).toEqual([true, true, false]);
    expect(queue.peek(10, 1_000)).toEqual(['a', 'b']);
  });

  it('refuses a new item that would exceed its byte bound, and frees the bytes of removed items', () => {
    const queue = new BoundedQueue<string>(100, 10);
    expect(queue.push('a', 6)).toBe(true);
    expect(queue.push('b', 6)).toBe(false);
    queue.shift(1);
    expect(queue.bytes).toBe(0);
    expect(queue.push('b', 6)).toBe(true);
  });

  it('peeks a batch bounded in items and bytes, always at least one item, without removing it', () => {
    const queue = new BoundedQueue<number>(100, 1_000);
    for (let n = 0; n < 5; n++) queue.push(n, 40);
    expect(queue.peek(3, 1_000)).toEqual([0, 1, 2]);
    expect(queue.peek(10, 100)).toEqual([0, 1]);
    expect(queue.peek(10, 10)).toEqual([0]);
    expect(queue.size).toBe(5);
  });

  it('stays first-in first-out across many shifts', () => {
    const queue = new BoundedQueue<number>(5_000, 1_000_000);
    for (let n = 0; n < 3_000; n++) queue.push(n, 1);
    queue.shift(2_500);
    for (let n = 3_000; n < 3_010; n++) queue.push(n, 1);
    expect(queue.size).toBe(510);
    expect(queue.peek(2, 100)).toEqual([2_500, 2_501]);
  });
});
