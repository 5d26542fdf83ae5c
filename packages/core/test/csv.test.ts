import { describe, expect, it } from 'vitest';
import { csvCell, csvNumber, csvRow } from '../src/index.js';

describe('csvCell (RFC 4180 quoting, OWASP CSV injection)', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=1+1', `"'=1+1"`],
    ['+1', `"'+1"`],
    ['-2+3+cmd|calc', `"'-2+3+cmd|calc"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['\tx', `"'\tx"`],
    ['\rx', `"'\rx"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['a=b', 'a=b'],
  ])('text %j becomes %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('leaves numbers numeric, negative ones included', () => {
    expect(csvRow([csvNumber('-12.50'), -3, 7n, csvNumber('0.01'), '-12.50'])).toBe(`-12.50,-3,7,0.01,"'-12.50"`);
  });

  it('refuses to pass text off as a number', () => {
    expect(() => csvNumber('=1+1')).toThrow('not a decimal number: =1+1');
    expect(() => csvNumber('1e5')).toThrow('not a decimal number: 1e5');
  });
});
