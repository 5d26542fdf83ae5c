import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  amountSchema,
  emailSchema,
  formatZodIssues,
  parseWith,
  passwordFor,
  passwordSchema,
  usernameSchema,
  ValidationError,
} from '../src/index.js';

function firstMessage(schema: z.ZodType, value: unknown): string | undefined {
  const result = schema.safeParse(value);
  return result.success ? undefined : result.error.issues[0]?.message;
}

describe('usernameSchema', () => {
  it('accepts the allowed alphabet and lower-cases', () => {
    expect(usernameSchema.parse('alice')).toBe('alice');
    expect(usernameSchema.parse('Bob_1.x-y')).toBe('bob_1.x-y');
    expect(usernameSchema.parse('abc')).toBe('abc');
    expect(usernameSchema.parse('a'.repeat(32))).toBe('a'.repeat(32));
  });

  it.each([
    ['ab', 'username must be at least 3 characters'],
    ['a'.repeat(33), 'username must be at most 32 characters'],
    ['al ice', 'username may only contain letters a-z, digits, "_", "." and "-"'],
    ['alice!', 'username may only contain letters a-z, digits, "_", "." and "-"'],
    ['ålice', 'username may only contain letters a-z, digits, "_", "." and "-"'],
  ])('rejects %j', (value, message) => {
    expect(firstMessage(usernameSchema, value)).toBe(message);
  });
});

describe('emailSchema', () => {
  it('accepts and lower-cases an address', () => {
    expect(emailSchema.parse('Ann@Example.COM')).toBe('ann@example.com');
  });

  it.each(['ann', 'ann@', '@example.com', 'ann@example', 'a b@example.com'])('rejects %j', (value) => {
    expect(firstMessage(emailSchema, value)).toBe('email must be a valid address such as name@example.com');
  });
});

describe('password policy', () => {
  it('needs 12 characters and at most 72 bytes', () => {
    expect(passwordSchema.parse('twelve chars')).toBe('twelve chars');
    expect(firstMessage(passwordSchema, 'eleven char')).toBe('password must be at least 12 characters');
    expect(firstMessage(passwordSchema, '€'.repeat(25))).toBe('password must be at most 72 bytes of UTF-8');
  });

  it('refuses a password containing the username, in any case', () => {
    const schema = passwordFor('alice');
    expect(schema.parse('a long secret phrase')).toBe('a long secret phrase');
    expect(firstMessage(schema, 'my name is ALICE ok')).toBe('password must not contain the username');
  });
});

describe('amountSchema', () => {
  it('parses to minor units', () => {
    expect(amountSchema().parse('70.00')).toBe(7000);
  });

  it('reports the money parser message', () => {
    expect(firstMessage(amountSchema(), '1e3')).toBe(
      '"1e3" is not an amount; use digits with an optional decimal point, such as 12.34',
    );
    expect(firstMessage(amountSchema(), 12)).toMatch(/expected string/i);
  });
});

describe('zod issue formatting', () => {
  const schema = z.object({
    user: z.object({ name: usernameSchema }),
    items: z.array(z.object({ qty: z.number().int() })),
  });

  it('turns issues into path: message lines', () => {
    const result = schema.safeParse({ user: { name: 'x' }, items: [{ qty: 1 }, { qty: 1.5 }] });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(formatZodIssues(result.error)).toEqual([
      'user.name: username must be at least 3 characters',
      'items.1.qty: Invalid input: expected int, received number',
    ]);
  });

  it('parseWith returns data or throws one ValidationError with every issue', () => {
    expect(parseWith(usernameSchema, 'Carol')).toBe('carol');
    let caught: unknown;
    try {
      parseWith(z.object({ a: z.string(), b: usernameSchema }), { a: 1, b: 'x' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    const error = caught as ValidationError;
    expect(error.message).toBe(
      'a: Invalid input: expected string, received number; b: username must be at least 3 characters',
    );
    expect(error.issues).toEqual([
      { path: 'a', message: 'Invalid input: expected string, received number' },
      { path: 'b', message: 'username must be at least 3 characters' },
    ]);
  });
});
