import { describe, expect, it } from 'vitest';
import { CREDENTIAL_SHAPES, redactText, scanBudget } from '@/lib/events/secret-scanner';
import { fastestMs } from '@/scripts/fastest-time';

/**
 * Every pass over input must be linear in its length: strings crafted for a
 * backtracking engine ('eyJ' repeated, a prefix repeated without its end)
 * once made the redactor quadratic. Timing 16× the input must take about 16×
 * the time; quadratic work would take 256×. The bound is loose so a busy
 * machine does not fail it; the figures are in `npm run bench:redact`.
 */
const SMALL = 4 * 1024;
const LARGE = 64 * 1024;
const MAX_RATIO = 64;

function fill(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

const KEYWORD_SOUP = [...new Set(CREDENTIAL_SHAPES.flatMap((shape) => shape.keywords))].join(' ');

describe('the redactor on crafted strings', () => {
  it.each([
    ['eyJ repeated', 'eyJ'],
    ['JWT segments without their end', 'eyJhbGci.'],
    ['Bearer repeated', 'Bearer '],
    ['a PEM header repeated', '-----BEGIN PRIVATE KEY-----'],
    ['a JSON password key repeated', '{"password":'],
    ['an unclosed quoted value', 'password="'],
    ['a provider prefix repeated', 'glpat-'],
    ['a query string of names', '?token&code&key&sig'],
    ['URL credentials without their @', 'https://user:'],
    ['every keyword of the catalogue', `${KEYWORD_SOUP} `],
    ['plain text', 'the quick brown fox '],
  ])('scans %s in time linear in its length', (_what, unit) => {
    const small = fill(unit, SMALL);
    const large = fill(unit, LARGE);
    const ratio = fastestMs(() => redactText(large), 7) / fastestMs(() => redactText(small), 7);
    expect(ratio).toBeLessThan(MAX_RATIO);
  });
});

// A whole crafted batch is measured by `npm run bench:redact`, not here: at batch size the
// figure moved 14× to 170× for 16× the events on this shared machine, run to run, while
// the work itself scaled linearly (1.7 ms for 20 events, 23.8 ms for 320).

describe('the scan budget of a batch', () => {
  it('replaces strings whole, unscanned, once a batch has spent it, and never stores what it did not scan', () => {
    const budget = scanBudget(0);
    const crafted = `facebook ${'123456789012345|abcdefghijklmnopqrstuvwxyz12 '.repeat(20)}`;
    let scanned = 0;
    while (budget.remaining > 0) {
      expect(redactText(crafted, budget).redactions).toBeGreaterThan(0);
      scanned += 1;
    }
    expect(scanned).toBeLessThan(200);
    expect(redactText('password=hunter2 and a lot more', budget)).toEqual({ value: '[REDACTED:secret]', redactions: 1 });
    expect(redactText('a clean string', budget)).toEqual({ value: 'a clean string', redactions: 0 });
  });

  it('replaces a string with more keywords than any honest field whole', () => {
    expect(redactText('token '.repeat(100))).toEqual({ value: '[REDACTED:secret]', redactions: 1 });
  });
});
