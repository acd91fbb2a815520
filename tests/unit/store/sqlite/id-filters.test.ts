import { describe, expect, it } from 'vitest';
import { DayIdFilter, IdFilters } from '@/lib/store/sqlite/id-filters';
import { Xorshift32 } from '@/scripts/xorshift';

const BLOCK = 2 ** 14;

/** Random 48-bit keys, as idempotencyKey makes them. */
function keys(count: number, seed: number): number[] {
  const random = new Xorshift32(seed);
  return Array.from({ length: count }, () => (random.next() % 2 ** 24) * 2 ** 24 + (random.next() % 2 ** 24));
}

describe('DayIdFilter', () => {
  it('never misses a key, in a full block (Bloom filter) or a sparse one (exact set)', () => {
    const filter = new DayIdFilter();
    const full = keys(BLOCK, 1);
    full.forEach((key, i) => filter.add(3 * BLOCK + i, key));
    const sparse = keys(40, 2);
    sparse.forEach((key, i) => filter.add(7 * BLOCK + i, key));
    for (const key of full) expect(filter.blocksThatMayHold(key)).toContain(3);
    for (const key of sparse) expect(filter.blocksThatMayHold(key)).toEqual([7]);
  });

  it('names a full block for about 0.05 % of keys it does not hold, and a sparse block never', () => {
    const filter = new DayIdFilter();
    keys(BLOCK, 3).forEach((key, i) => filter.add(i, key));
    keys(300, 4).forEach((key, i) => filter.add(BLOCK + i, key));
    const strangers = keys(100_000, 5);
    const named = strangers.map((key) => filter.blocksThatMayHold(key));
    const falseInFull = named.filter((blocks) => blocks.includes(0)).length / strangers.length;
    expect(falseInFull).toBeLessThan(0.002);
    expect(named.filter((blocks) => blocks.includes(1))).toEqual([]);
  });

  it('keeps every key of a block that grows past its exact set', () => {
    const filter = new DayIdFilter();
    const grown = keys(2_000, 6);
    grown.forEach((key, i) => filter.add(i, key));
    for (const key of grown) expect(filter.blocksThatMayHold(key)).toEqual([0]);
  });

  it('puts seqs past 2^31 in their own block', () => {
    const filter = new DayIdFilter();
    filter.add(2 ** 40 + 5, 12345);
    expect(filter.blocksThatMayHold(12345)).toEqual([2 ** 26]);
  });
});

describe('IdFilters', () => {
  it('builds a day once, keeps it up to date with moved rows, and only the days it keeps', () => {
    const filters = new IdFilters();
    const builds: number[] = [];
    const build = (day: number) => (filter: DayIdFilter) => {
      builds.push(day);
      filter.add(1, 100 + day);
    };
    filters.of(10, build(10));
    filters.addMoved([
      [BLOCK + 1, 10, 555],
      [BLOCK + 2, 11, 666],
    ]);
    expect(filters.of(10, build(10)).blocksThatMayHold(555)).toEqual([1]);
    expect(filters.of(11, build(11)).blocksThatMayHold(666)).toEqual([]);
    expect(builds).toEqual([10, 11]);
  });

  it('forgets one day or all', () => {
    const filters = new IdFilters();
    const builds: number[] = [];
    const build = (day: number) => () => builds.push(day);
    filters.of(1, build(1));
    filters.of(2, build(2));
    filters.forget(1);
    filters.of(1, build(1));
    filters.of(2, build(2));
    filters.forget();
    filters.of(2, build(2));
    expect(builds).toEqual([1, 2, 1, 2]);
  });
});
