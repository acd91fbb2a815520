import { BLOCK_BITS, blockOf } from './partition-names';

/** A block holds at most this many rows, whatever their days. */
const BLOCK_ROWS = 2 ** BLOCK_BITS;
/** Up to this many of a day's keys in a block are kept exactly; past it, the block gets a Bloom filter sized for a full block. */
const EXACT_KEYS = 512;
/**
 * 16 bits and 11 probes per key: about 0.05 % false positives in a full block,
 * so that a day of 10 million events (610 blocks) still seeks a block in vain
 * for about one new event in four.
 */
const BLOOM_BITS = BLOCK_ROWS * 16;
const BLOOM_MASK = BLOOM_BITS - 1;
const BLOOM_PROBES = 11;
const LOW_24 = 2 ** 24;
/** Blocks whose Bloom filters share one array, bit-sliced: word `bit` holds that bit of each of the 32. */
const GROUP = 32;

/** The bits of a key in a block's Bloom filter. The keys are 48 bits of SHA-256, so their halves serve as the two hashes of double hashing. */
function bloomBits(idKey: number, into: Uint32Array): Uint32Array {
  const low = idKey % LOW_24;
  const step = Math.floor(idKey / LOW_24) | 1;
  for (let probe = 0; probe < BLOOM_PROBES; probe += 1) into[probe] = (low + probe * step) & BLOOM_MASK;
  return into;
}

/**
 * The Bloom filters of a day's full blocks, bit-sliced by groups of 32 blocks
 * (1 MiB a group, 32 KiB a block): one lookup reads at most 11 words per group
 * whatever the number of blocks, where a filter per block read up to 11 per block.
 */
class SlicedBlooms {
  private readonly groups: Uint32Array[] = [];
  private readonly slots = new Map<number, number>();
  private readonly blocks: number[] = [];
  private readonly bits = new Uint32Array(BLOOM_PROBES);

  has(block: number): boolean {
    return this.slots.has(block);
  }

  add(block: number, idKey: number): void {
    let slot = this.slots.get(block);
    if (slot === undefined) {
      slot = this.blocks.push(block) - 1;
      this.slots.set(block, slot);
      if (slot % GROUP === 0) this.groups.push(new Uint32Array(BLOOM_BITS));
    }
    const words = this.groups[Math.floor(slot / GROUP)];
    const mask = 1 << slot % GROUP;
    for (const bit of bloomBits(idKey, this.bits)) words[bit] |= mask;
  }

  /** Adds to `found` the blocks whose filter may hold `idKey`. */
  collect(idKey: number, found: number[]): void {
    const bits = bloomBits(idKey, this.bits);
    this.groups.forEach((words, group) => {
      let candidates = words[bits[0]];
      for (let probe = 1; probe < BLOOM_PROBES && candidates !== 0; probe += 1) candidates &= words[bits[probe]];
      while (candidates !== 0) {
        const lowest = candidates & -candidates;
        found.push(this.blocks[group * GROUP + 31 - Math.clz32(lowest)]);
        candidates ^= lowest;
      }
    });
  }
}

/**
 * The idempotency keys one day partition holds, by block of arrivals: which
 * blocks may hold a key. Never a false negative; a false positive costs one
 * index seek in that block. A block with few of the day's rows (a late event,
 * a block split by midnight) keeps them in one exact map for the day; a fuller
 * one gets a Bloom filter. A lookup costs the same however many blocks the day has.
 */
export class DayIdFilter {
  private readonly blooms = new SlicedBlooms();
  /** The exactly kept keys: by block, and each key's block(s). */
  private readonly exactByBlock = new Map<number, number[]>();
  private readonly exactBlocks = new Map<number, number | number[]>();

  add(seq: number, idKey: number): void {
    const block = blockOf(seq);
    if (this.blooms.has(block)) return this.blooms.add(block, idKey);
    const keys = this.exactByBlock.get(block) ?? [];
    if (keys.length < EXACT_KEYS) {
      if (keys.length === 0) this.exactByBlock.set(block, keys);
      keys.push(idKey);
      const blocks = this.exactBlocks.get(idKey);
      this.exactBlocks.set(idKey, blocks === undefined ? block : [blocks, block].flat());
      return;
    }
    for (const key of [...keys, idKey]) this.blooms.add(block, key);
    for (const key of keys) this.unlist(key, block);
    this.exactByBlock.delete(block);
  }

  /** The blocks that may hold `idKey`. */
  blocksThatMayHold(idKey: number): number[] {
    const exact = this.exactBlocks.get(idKey);
    const found = exact === undefined ? [] : [...new Set([exact].flat())];
    this.blooms.collect(idKey, found);
    return found;
  }

  private unlist(idKey: number, block: number): void {
    const blocks = this.exactBlocks.get(idKey);
    if (blocks === block) this.exactBlocks.delete(idKey);
    else if (Array.isArray(blocks)) {
      blocks.splice(blocks.indexOf(block), 1);
      this.exactBlocks.set(idKey, blocks.length === 1 ? blocks[0] : blocks);
    }
  }
}

/**
 * The writer's filters of the days it has checked repeats on, built from a
 * partition's block-led idempotency index on first use and kept up to date by
 * the indexer as it moves rows in. Kept until the day's partition is dropped:
 * memory follows the events retention keeps (about 2 bytes an event), and
 * evicting a day would let events for old days make the writer rebuild it
 * again and again.
 */
export class IdFilters {
  private readonly days = new Map<number, DayIdFilter>();

  /** The day's filter, built by `build` (which adds every key the partition holds) when not kept. */
  of(day: number, build: (filter: DayIdFilter) => void): DayIdFilter {
    let filter = this.days.get(day);
    if (!filter) {
      filter = new DayIdFilter();
      build(filter);
      this.days.set(day, filter);
    }
    return filter;
  }

  /** Adds rows just moved into a partition, for the days whose filter is kept (the others are built from the table). */
  addMoved(rows: Iterable<readonly [seq: number, day: number, idKey: number]>): void {
    for (const [seq, day, idKey] of rows) this.days.get(day)?.add(seq, idKey);
  }

  forget(day?: number): void {
    if (day === undefined) this.days.clear();
    else this.days.delete(day);
  }
}
