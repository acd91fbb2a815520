import { describe, expect, it } from 'vitest';
import { FairQueue } from '@/lib/ingest/fair-queue';

/** A task that finishes when told to, recording when it started. */
function controllable(started: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { task: () => (started.push(name), done.then(() => name)), finish };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('FairQueue', () => {
  it('runs tasks while their costs in flight fit its capacity', async () => {
    const queue = new FairQueue(2);
    const started: string[] = [];
    const tasks = ['a1', 'a2', 'a3'].map((name) => controllable(started, name));
    const results = tasks.map((task) => queue.run('a', 1, task.task));
    await settle();
    expect(started).toEqual(['a1', 'a2']);
    tasks[0].finish();
    await settle();
    expect(started).toEqual(['a1', 'a2', 'a3']);
    tasks.forEach((task) => task.finish());
    expect(await Promise.all(results)).toEqual(['a1', 'a2', 'a3']);
  });

  it("lets another key's task run next, not after a flooding key's whole backlog", async () => {
    const queue = new FairQueue(1);
    const started: string[] = [];
    const flood = Array.from({ length: 5 }, (_, index) => controllable(started, `a${index}`));
    for (const task of flood) void queue.run('a', 1, task.task);
    const single = controllable(started, 'b0');
    const answered = queue.run('b', 1, single.task);
    await settle();
    expect(started).toEqual(['a0']);
    flood[0].finish();
    await settle();
    expect(started).toEqual(['a0', 'b0']);
    single.finish();
    expect(await answered).toBe('b0');
    for (const task of flood) task.finish();
    await settle();
    expect(started).toEqual(['a0', 'b0', 'a1', 'a2', 'a3', 'a4']);
  });

  it('takes turns between keys that both have a backlog', async () => {
    const queue = new FairQueue(1);
    const started: string[] = [];
    const tasks = ['a0', 'a1', 'a2', 'b0', 'b1', 'c0'].map((name) => ({ name, ...controllable(started, name) }));
    for (const task of tasks) void queue.run(task.name[0], 1, task.task);
    for (let step = 0; step < tasks.length; step++) {
      await settle();
      for (const task of tasks) if (started.includes(task.name)) task.finish();
    }
    await settle();
    expect(started).toEqual(['a0', 'b0', 'c0', 'a1', 'b1', 'a2']);
  });

  it('always runs one task, however large, and lets small ones pass beside large ones', async () => {
    const queue = new FairQueue(1_000);
    const started: string[] = [];
    const huge = controllable(started, 'huge');
    const big = controllable(started, 'big');
    const small = controllable(started, 'small');
    void queue.run('a', 5_000, huge.task);
    void queue.run('a', 900, big.task);
    void queue.run('b', 10, small.task);
    await settle();
    expect(started).toEqual(['huge']);
    huge.finish();
    await settle();
    expect(started).toEqual(['huge', 'small', 'big']);
    big.finish();
    small.finish();
  });

  it('shares by cost: many small tasks of one key run before the next large task of another', async () => {
    const queue = new FairQueue(1);
    const started: string[] = [];
    const large = Array.from({ length: 3 }, (_, index) => ({ name: `L${index}`, ...controllable(started, `L${index}`) }));
    for (const task of large) void queue.run('flood', 1_000_000, task.task);
    const small = Array.from({ length: 20 }, (_, index) => ({ name: `s${index}`, ...controllable(started, `s${index}`) }));
    for (const task of small) void queue.run('singles', 200, task.task);
    for (let step = 0; step < 30; step++) {
      await settle();
      for (const task of [...large, ...small]) if (started.includes(task.name)) task.finish();
    }
    expect(started.slice(0, 22)).toEqual(['L0', ...small.map((task) => task.name), 'L1']);
  });

  it('passes a failure to its caller and goes on with the next task', async () => {
    const queue = new FairQueue(1);
    await expect(queue.run('a', 1, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await queue.run('a', 1, () => Promise.resolve(7))).toBe(7);
    expect(queue.backlog).toBe(0);
  });
});
