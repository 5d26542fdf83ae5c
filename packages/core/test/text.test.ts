import { describe, expect, it } from 'vitest';
import { assertPlainText, plainTextProblem, unsafeCharacter, ValidationError } from '../src/index.js';

describe('plain text', () => {
  it.each([
    ['\u202e', 'U+202E'],
    ['abc\u2066def', 'U+2066'],
    ['\u200f', 'U+200F'],
    ['\u061c', 'U+061C'],
    ['\u0000', 'U+0000'],
    ['bell\u0007', 'U+0007'],
    ['\u001b[31mred', 'U+001B'],
    ['\u007f', 'U+007F'],
    ['\u0085', 'U+0085'],
    ['\u009b', 'U+009B'],
    ['line\nbreak', 'U+000A'],
    ['tab\there', 'U+0009'],
    ['\r', 'U+000D'],
  ])('finds %j as %s in single-line text', (text, char) => {
    expect(unsafeCharacter(text)).toBe(char);
  });

  it.each(['rent for May', 'café ☕ 日本語', 'emoji 👍🏽', 'a\u200db (ZWJ is fine)', ''])('accepts %j', (text) => {
    expect(unsafeCharacter(text)).toBeUndefined();
  });

  it('allows tab and line ends in multi-line text, never NUL or bidi controls', () => {
    expect(unsafeCharacter('a\tb\r\nc', { multiline: true })).toBeUndefined();
    expect(unsafeCharacter('a\nb\u0000', { multiline: true })).toBe('U+0000');
    expect(unsafeCharacter('a\n\u202eb', { multiline: true })).toBe('U+202E');
    expect(unsafeCharacter('\u000b', { multiline: true })).toBe('U+000B');
  });

  it('says which field and which character', () => {
    expect(plainTextProblem('note', 'pay \u202eevil')).toBe(
      'note must not contain control or bidirectional formatting characters (found U+202E)',
    );
    expect(() => assertPlainText('name', 'x\u0000')).toThrow(ValidationError);
    expect(() => assertPlainText('name', 'x\u0000')).toThrow(
      'name must not contain control or bidirectional formatting characters (found U+0000)',
    );
  });
});
