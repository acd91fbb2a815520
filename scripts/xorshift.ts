/** xorshift32: a small deterministic generator, so a seed gives the same events on every run. */
export class Xorshift32 {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }

  /** The next unsigned 32-bit value. */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }

  /** The next value in [0, 1). */
  random(): number {
    return this.next() / 4294967296;
  }
}
