import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from '@/lib/events/csv-cell';

describe('CSV cells', () => {
  it('prefixes a cell a spreadsheet would read as a formula with a quote', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
  });

  it('leaves ordinary text alone and quotes commas, quotes and line breaks', () => {
    expect(csvCell('alice@example.com')).toBe('alice@example.com');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(42)).toBe('42');
  });

  it('joins a line with commas and ends it with CRLF', () => {
    expect(csvLine(['a', '=b', null, 'c,d'])).toBe(`a,'=b,,"c,d"\r\n`);
  });
});
