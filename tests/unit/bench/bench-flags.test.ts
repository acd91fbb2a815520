import { describe, expect, it } from 'vitest';
import { parseFlags } from '@/scripts/bench-flags';

const DEFAULTS = { db: undefined as string | undefined, events: 50_000, refreshRange: '24h' };
const parse = (...argv: string[]) => parseFlags(argv, DEFAULTS, 'bench [--db FILE] [--events N] [--refresh-range R]');

describe('parseFlags', () => {
  it('keeps the defaults when no flag is given', () => {
    expect(parse()).toEqual(DEFAULTS);
  });

  it('maps --kebab-case flags to their keys, numbers as integers and text as is', () => {
    expect(parse('--events', '12', '--refresh-range', '30d', '--db', '/tmp/copy.db')).toEqual({ db: '/tmp/copy.db', events: 12, refreshRange: '30d' });
  });

  it.each([
    [['--events'], '--events needs a value'],
    [['--events', '0'], '--events must be a positive integer'],
    [['--events', '1.5'], '--events must be a positive integer'],
    [['--events', 'many'], '--events must be a positive integer'],
    [['--bogus', '1'], 'usage: bench [--db FILE] [--events N] [--refresh-range R] (bad: --bogus)'],
    [['events', '1'], 'usage: bench [--db FILE] [--events N] [--refresh-range R] (bad: events)'],
    [['--constructor', '1'], 'usage: bench [--db FILE] [--events N] [--refresh-range R] (bad: --constructor)'],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parse(...argv)).toThrow(message);
  });
});
