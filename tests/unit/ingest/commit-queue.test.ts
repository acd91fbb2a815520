import { describe, expect, it } from 'vitest';
import { CommitQueue, commitEvents } from '@/lib/ingest/commit-queue';
import { toEventRow, type EventRow } from '@/lib/store/event-row';
import type { EventRecord, InsertOutcome, Store } from '@/lib/store/store';
import { NOW, eventRecord } from '../../helpers/temp-store';

/** A store that records each insertEvents call (one call = one transaction) and marks ids starting "dup" as repeats. */
function recordingStore(fail = false) {
  const transactions: string[][] = [];
  const store = {
    insertEvents: (records: readonly EventRecord[]): InsertOutcome[] => {
      if (fail) throw new Error('disk full');
      transactions.push(records.map((record) => record.id));
      return records.map((record, index) => (record.id.startsWith('dup') ? { stored: false } : { stored: true, seq: index + 1 }));
    },
  } as unknown as Store;
  return { store, transactions };
}

/**
 * A commit queue whose writes finish only when the test says so, as a slow
 * disk would: `transactions` lists each write's ids as it starts.
 */
function slowWrites() {
  const transactions: string[][] = [];
  const finishes: (() => void)[] = [];
  const queue = new CommitQueue(
    (rows) =>
      new Promise<InsertOutcome[]>((resolve) => {
        transactions.push(rows.map((row) => row[0]));
        finishes.push(() => resolve(rows.map((_, index) => ({ stored: true, seq: index + 1 }))));
      }),
  );
  const started = async (count: number) => {
    while (transactions.length < count) await new Promise((resolve) => setImmediate(resolve));
  };
  /** Finishes the writes one at a time, each as soon as it starts, until every request is answered. */
  const drain = async (answers: Promise<unknown>[]) => {
    let settled = false;
    void Promise.all(answers).then(() => (settled = true));
    for (let finished = 0; !settled; finished++) {
      await started(finished + 1);
      finishes[finished]();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { queue, transactions, started, finishes, drain };
}

const records = (...ids: string[]) => ids.map((id) => toEventRow(eventRecord({ id, time: NOW, serviceId: 1 })));
/** One event whose stored document takes `bytes`. */
const sized = (id: string, bytes: number): EventRow[] => [toEventRow(eventRecord({ id, time: NOW, serviceId: 1, document: 'x'.repeat(bytes) }))];
/** Nearly a whole commit's byte bound: with it, nothing but a few bytes more fits. */
const FULL_BATCH = 1_048_500;

describe('commitEvents', () => {
  it('stores requests that are ready together in one transaction and gives each its own outcomes', async () => {
    const { store, transactions } = recordingStore();
    const answers = await Promise.all([
      commitEvents({ store }, 'key-1', records('a', 'dup-b')),
      commitEvents({ store }, 'key-2', records('c')),
      commitEvents({ store }, 'key-1', records('dup-d', 'e', 'f')),
    ]);
    expect(transactions).toHaveLength(1);
    expect([...transactions[0]].sort()).toEqual(['a', 'c', 'dup-b', 'dup-d', 'e', 'f']);
    const stored = (id: string) => ({ stored: true, seq: transactions[0].indexOf(id) + 1 });
    const duplicate = { stored: false };
    expect(answers).toEqual([[stored('a'), duplicate], [stored('c')], [duplicate, stored('e'), stored('f')]]);
  });

  it('splits the queue so no transaction holds more than 5,000 events', async () => {
    const { store, transactions } = recordingStore();
    const big = () => records(...Array.from({ length: 2_000 }, (_, i) => `e${Math.random()}-${i}`));
    await Promise.all([commitEvents({ store }, 'key', big()), commitEvents({ store }, 'key', big()), commitEvents({ store }, 'key', big())]);
    expect(transactions.map((transaction) => transaction.length)).toEqual([4_000, 2_000]);
  });

  it('bounds a transaction in bytes as well as in events', async () => {
    const { store, transactions } = recordingStore();
    await Promise.all([commitEvents({ store }, 'key', sized('h1', 700_000)), commitEvents({ store }, 'key', sized('h2', 700_000))]);
    expect(transactions).toEqual([['h1'], ['h2']]);
  });

  it('fails every request of a failed transaction', async () => {
    const { store } = recordingStore(true);
    const answers = await Promise.allSettled([commitEvents({ store }, 'key', records('a')), commitEvents({ store }, 'key', records('b'))]);
    expect(answers.map((answer) => answer.status)).toEqual(['rejected', 'rejected']);
  });

  it('commits a later request in a later transaction', async () => {
    const { store, transactions } = recordingStore();
    await commitEvents({ store }, 'key', records('first'));
    await commitEvents({ store }, 'key', records('second'));
    expect(transactions).toEqual([['first'], ['second']]);
  });
});

describe('CommitQueue fairness between credentials', () => {
  it("commits another credential's single event right after the commit being written, ahead of a flood's backlog", async () => {
    const { queue, transactions, started, drain } = slowWrites();
    const flood = Array.from({ length: 5 }, (_, i) => queue.commit('flood', sized(`flood-${i + 1}`, FULL_BATCH)));
    await started(1);
    const single = queue.commit('orders', sized('single', 200));
    await drain([...flood, single]);
    expect(transactions).toEqual([['flood-1'], ['single'], ['flood-2'], ['flood-3'], ['flood-4'], ['flood-5']]);
  });

  it('answers a request only once the transaction holding it is written', async () => {
    const { queue, started, finishes } = slowWrites();
    let answered = false;
    const single = queue.commit('orders', sized('single', 200)).then(() => (answered = true));
    await started(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    finishes[0]();
    await single;
    expect(answered).toBe(true);
  });

  it('shares commits by bytes between two credentials flooding at once, even of one service', async () => {
    const { queue, transactions, drain } = slowWrites();
    const first = Array.from({ length: 3 }, (_, i) => queue.commit('key-a', sized(`a${i + 1}`, 600_000)));
    const second = Array.from({ length: 3 }, (_, i) => queue.commit('key-b', sized(`b${i + 1}`, 600_000)));
    await drain([...first, ...second]);
    expect(transactions).toEqual([['a1'], ['b1'], ['a2'], ['b2'], ['a3'], ['b3']]);
  });

  it("still fills a commit with a small credential's requests beside a large batch", async () => {
    const { queue, transactions, started, drain } = slowWrites();
    const flood = [queue.commit('flood', sized('flood-1', 600_000)), queue.commit('flood', sized('flood-2', 600_000))];
    await started(1);
    const singles = ['s1', 's2', 's3'].map((id) => queue.commit('orders', sized(id, 200)));
    await drain([...flood, ...singles]);
    expect(transactions.map((transaction) => [...transaction].sort())).toEqual([['flood-1'], ['flood-2', 's1', 's2', 's3']]);
  });
});
