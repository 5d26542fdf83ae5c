import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  generateAccountNumber,
  isValidAccountNumber,
  luhnCheckDigit,
  parseAccountNumber,
} from '../src/domain/account-number.js';

describe('account numbers', () => {
  it.each([
    ['7992739871', 3], // the textbook Luhn example, 79927398713
    ['000000000', 0],
    ['123456789', 7],
  ])('check digit of %s is %i', (payload, digit) => {
    expect(luhnCheckDigit(payload)).toBe(digit);
  });

  it('generates 10 digits, no leading zero, valid check digit', () => {
    const digits = [0, 0, 1, 2, 3, 4, 5, 6, 7];
    let i = 0;
    const number = generateAccountNumber(() => digits[i++]!);
    expect(number).toBe('1012345672');
    expect(isValidAccountNumber(number)).toBe(true);
  });

  it('catches every single-digit typo and every swap of unequal neighbours', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }),
        fc.nat(9),
        fc.nat(8),
        (d, pos, swap) => {
          const number = generateAccountNumber(
            (() => {
              let i = 0;
              return () => d[i++]!;
            })(),
          );
          const typo =
            number.slice(0, pos) + String((Number(number[pos]) + 1 + (swap % 9)) % 10) + number.slice(pos + 1);
          expect(isValidAccountNumber(typo)).toBe(false);
          const a = number[swap]!;
          const b = number[swap + 1]!;
          // Luhn misses exactly one swap: 09 <-> 90.
          if (a !== b && !(a + b === '09' || a + b === '90')) {
            const swapped = number.slice(0, swap) + b + a + number.slice(swap + 2);
            expect(isValidAccountNumber(swapped)).toBe(false);
          }
        },
      ),
    );
  });

  it.each([
    ['12345', 'account number must have 10 digits, got 5'],
    ['12345678901', 'account number must have 10 digits, got 11'],
    ['abcdefghij', '"abcdefghij" is not an account number; use its 10 digits'],
    ['1012345675', 'account number 1012345675 is mistyped (check digit mismatch)'],
    ['', '"" is not an account number; use its 10 digits'],
  ])('rejects %j: %s', (input, message) => {
    expect(() => parseAccountNumber(input)).toThrow(message);
  });

  it('accepts spaces and dashes people copy along', () => {
    expect(parseAccountNumber('1012-345 672')).toBe('1012345672');
  });
});
