import { describe, expect, it } from 'vitest';
import { formatAmount, parseAmount } from '../src/index.js';

describe('parseAmount', () => {
  it.each([
    ['12', 1200],
    ['12.3', 1230],
    ['12.34', 1234],
    ['0.01', 1],
    ['007.5', 750],
    ['1000000000', 100_000_000_000],
  ])('%s is %i minor units', (input, minor) => {
    expect(parseAmount(input)).toBe(minor);
  });

  it('adds 0.1 and 0.2 to exactly 30 minor units', () => {
    expect(parseAmount('0.1') + parseAmount('0.2')).toBe(30);
  });

  it.each([
    ['', 'amount is empty'],
    ['-5', 'amount must not be negative'],
    ['-0.01', 'amount must not be negative'],
    ['0', 'amount must be greater than zero'],
    ['0.00', 'amount must be greater than zero'],
    ['1.234', 'amount has more than 2 decimal places'],
    ['1e3', '"1e3" is not an amount; use digits with an optional decimal point, such as 12.34'],
    ['1E3', '"1E3" is not an amount; use digits with an optional decimal point, such as 12.34'],
    ['NaN', '"NaN" is not an amount; use digits with an optional decimal point, such as 12.34'],
    ['Infinity', '"Infinity" is not an amount; use digits with an optional decimal point, such as 12.34'],
    [' 12', 'amount must not contain spaces'],
    ['12 ', 'amount must not contain spaces'],
    ['1 000', 'amount must not contain spaces'],
    ['12\n', 'amount must not contain spaces'],
    ['12\u00a0', 'amount must not contain spaces'],
    ['+5', '"+5" is not an amount; use digits with an optional decimal point, such as 12.34'],
    ['1,000', '"1,000" is not an amount; use digits with an optional decimal point, such as 12.34'],
    ['.5', '".5" is not an amount; use digits with an optional decimal point, such as 12.34'],
    ['5.', '"5." is not an amount; use digits with an optional decimal point, such as 12.34'],
    ['0x10', '"0x10" is not an amount; use digits with an optional decimal point, such as 12.34'],
    ['١٢', '"١٢" is not an amount; use digits with an optional decimal point, such as 12.34'],
    ['1000000000.01', 'amount exceeds the maximum of 1000000000.00'],
    ['9'.repeat(41), 'amount is too long'],
  ])('rejects %j with "%s"', (input, message) => {
    expect(() => parseAmount(input)).toThrow(
      expect.objectContaining({ name: 'ValidationError', code: 'INVALID_AMOUNT', message }),
    );
  });

  it('accepts zero only when asked', () => {
    expect(parseAmount('0', { allowZero: true })).toBe(0);
  });

  it('honours a configured maximum', () => {
    expect(parseAmount('50.00', { maxMinor: 5000 })).toBe(5000);
    expect(() => parseAmount('50.01', { maxMinor: 5000 })).toThrow('amount exceeds the maximum of 50.00');
  });

  it('follows the currency decimals', () => {
    expect(parseAmount('1500', { decimals: 0 })).toBe(1500);
    expect(() => parseAmount('15.5', { decimals: 0 })).toThrow('amount must be a whole number');
    expect(parseAmount('1.234', { decimals: 3 })).toBe(1234);
  });

  it('refuses non-strings that slip past the types', () => {
    expect(() => parseAmount(12 as unknown as string)).toThrow('amount must be a string such as "12.34"');
  });
});

describe('formatAmount', () => {
  it.each([
    [0, '0.00'],
    [1, '0.01'],
    [10, '0.10'],
    [7000, '70.00'],
    [123456789, '1234567.89'],
    [-1, '-0.01'],
    [-7005, '-70.05'],
  ])('%i is %s', (minor, text) => {
    expect(formatAmount(minor)).toBe(text);
  });

  it('round-trips what parseAmount reads', () => {
    for (const text of ['0.01', '12.30', '99999.99', '1000000000.00'])
      expect(formatAmount(parseAmount(text))).toBe(text);
  });

  it('formats other decimal counts', () => {
    expect(formatAmount(1500, { decimals: 0 })).toBe('1500');
    expect(formatAmount(5, { decimals: 3 })).toBe('0.005');
  });

  it('refuses fractions of a minor unit', () => {
    expect(() => formatAmount(0.5)).toThrow('not an integer amount of minor units: 0.5');
  });
});
