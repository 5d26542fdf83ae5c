import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { isCommonPassword, passwordPolicyProblem, passwordSchema } from '../src/index.js';

const SEQUENCE =
  'password must not be one repeated character or a simple sequence such as 123456789012 or abcdefghijkl';
const BREACHED = 'password is too common: it appears in lists of breached passwords; choose another';

function messages(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
}

describe('password policy (NIST SP 800-63B 5.1.1.2)', () => {
  it.each([
    ['qwerty123456', BREACHED],
    ['QWERTY123456', BREACHED],
    ['1qaz2wsx3edc', BREACHED],
    ['leavemealone', BREACHED],
    ['            ', 'password must not be only whitespace'],
    ['\t\t\t\t\n\n\n\n    ', 'password must not be only whitespace'],
    ['aaaaaaaaaaaa', SEQUENCE],
    ['234567890123', SEQUENCE],
    ['abcdefghijklm', SEQUENCE],
    ['zyxwvutsrqpo', SEQUENCE],
    ['109876543210', SEQUENCE],
  ])('refuses %j with one message', (password, message) => {
    expect(passwordPolicyProblem(password)).toBe(message);
    expect(messages(passwordSchema, password)).toEqual([message]);
  });

  it.each(['correct horse battery', 'Tr0ub4dor&3-extra', 'ünïcödé-pässwörd', '  spaces around  '])(
    'accepts %j',
    (password) => {
      expect(passwordPolicyProblem(password)).toBeUndefined();
      expect(passwordSchema.parse(password)).toBe(password);
    },
  );

  it('judges the list case-insensitively, and only passwords the length rules let through', () => {
    expect(isCommonPassword('PassWord')).toBe(true);
    expect(isCommonPassword('not-in-any-list-8c1f')).toBe(false);
    // Too short is the only complaint about a short common password.
    expect(messages(passwordSchema, 'password')).toEqual(['password must be at least 12 characters']);
    expect(messages(passwordSchema, 'é'.repeat(37))).toEqual(['password must be at most 72 bytes of UTF-8']);
  });
});
