import { describe, expect, it } from 'vitest';
import { commitEvents } from '@/lib/ingest/commit-queue';
import { toEventRow } from '@/lib/store/event-row';
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

const records = (...ids: string[]) => ids.map((id) => toEventRow(eventRecord({ id, time: NOW, serviceId: 1 })));

describe('commitEvents', () => {
  it('stores requests that are ready together in one transaction and gives each its own outcomes', async () => {
    const { store, transactions } = recordingStore();
    const answers = await Promise.all([
      commitEvents({ store }, records('a', 'dup-b')),
      commitEvents({ store }, records('c')),
      commitEvents({ store }, records('dup-d', 'e', 'f')),
    ]);
    expect(transactions).toEqual([['a', 'dup-b', 'c', 'dup-d', 'e', 'f']]);
    const stored = (seq: number) => ({ stored: true, seq });
    const duplicate = { stored: false };
    expect(answers).toEqual([[stored(1), duplicate], [stored(3)], [duplicate, stored(5), stored(6)]]);
  });

  it('splits the queue so no transaction holds more than 5,000 events', async () => {
    const { store, transactions } = recordingStore();
    const big = () => records(...Array.from({ length: 2_000 }, (_, i) => `e${Math.random()}-${i}`));
    await Promise.all([commitEvents({ store }, big()), commitEvents({ store }, big()), commitEvents({ store }, big())]);
    expect(transactions.map((transaction) => transaction.length)).toEqual([4_000, 2_000]);
  });

  it("takes turns between services, so one service's backlog does not hold back another's event", async () => {
    const { store, transactions } = recordingStore();
    const big = (name: string) => records(...Array.from({ length: 2_000 }, (_, i) => `${name}-${i}`));
    const single = [toEventRow(eventRecord({ id: 'single', time: NOW, serviceId: 2 }))];
    await Promise.all([
      commitEvents({ store }, big('a')),
      commitEvents({ store }, big('b')),
      commitEvents({ store }, big('c')),
      commitEvents({ store }, single),
    ]);
    expect(transactions[0]).toContain('single');
    expect(transactions.map((transaction) => transaction.length)).toEqual([4_001, 2_000]);
  });

  it('bounds a transaction in bytes as well as in events', async () => {
    const { store, transactions } = recordingStore();
    const heavy = (id: string) => [toEventRow(eventRecord({ id, time: NOW, serviceId: 1, document: 'x'.repeat(700_000) }))];
    await Promise.all([commitEvents({ store }, heavy('h1')), commitEvents({ store }, heavy('h2'))]);
    expect(transactions).toEqual([['h1'], ['h2']]);
  });

  it('fails every request of a failed transaction', async () => {
    const { store } = recordingStore(true);
    const answers = await Promise.allSettled([commitEvents({ store }, records('a')), commitEvents({ store }, records('b'))]);
    expect(answers.map((answer) => answer.status)).toEqual(['rejected', 'rejected']);
  });

  it('commits a later request in a later transaction', async () => {
    const { store, transactions } = recordingStore();
    await commitEvents({ store }, records('first'));
    await commitEvents({ store }, records('second'));
    expect(transactions).toEqual([['first'], ['second']]);
  });
});
