/** The least of several timings of `run`, after one untimed warm-up: the one least disturbed by the rest of the machine. */
export function fastestMs(run: () => unknown, repeats: number): number {
  run();
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const started = process.hrtime.bigint();
    run();
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6);
  }
  return Math.max(best, 0.01);
}
