import { describe, expect, it } from 'vitest';
import { escapeUnsafeCharacters, quoteForMessage } from '@/lib/text';

describe('escapeUnsafeCharacters', () => {
  it.each([
    ['a newline (log line forging)', 'alice\n{"level":"info"}', 'alice\\u000a{"level":"info"}'],
    ['a carriage return', 'a\rb', 'a\\u000db'],
    ['NUL', 'a\u0000b', 'a\\u0000b'],
    ['ESC (terminal escapes)', '\u001b[31mred', '\\u001b[31mred'],
    ['DEL', 'a\u007f', 'a\\u007f'],
    ['a C1 control', 'a\u0085b\u009b', 'a\\u0085b\\u009b'],
    ['a right-to-left override', 'invoice\u202Etxt.exe', 'invoice\\u202etxt.exe'],
    ['bidi isolates', '\u2066x\u2069', '\\u2066x\\u2069'],
    ['marks', '\u200e\u200f\u061c', '\\u200e\\u200f\\u061c'],
    ['a line separator', 'a\u2028b', 'a\\u2028b'],
    ['a paragraph separator', 'a\u2029b', 'a\\u2029b'],
    ['a tab', 'a\tb', 'a\\u0009b'],
  ])('escapes %s', (_what, text, escaped) => {
    expect(escapeUnsafeCharacters(text)).toBe(escaped);
  });

  it.each(['alice', 'Mozilla/5.0 (X11; Linux x86_64)', 'Zoë Ångström', 'ユーザー', 'مرحبا', '😀', '/a?b=c&d=e'])('leaves %j as it is', (text) => {
    expect(escapeUnsafeCharacters(text)).toBe(text);
  });
});

describe('quoteForMessage', () => {
  it('quotes and escapes', () => {
    expect(quoteForMessage('a\nb')).toBe("'a\\u000ab'");
  });

  it('shortens past the limit before escaping', () => {
    expect(quoteForMessage('x'.repeat(70))).toBe(`'${'x'.repeat(64)}…'`);
    expect(quoteForMessage('abcdef', 3)).toBe("'abc…'");
    expect(quoteForMessage('abc', 3)).toBe("'abc'");
  });
});
