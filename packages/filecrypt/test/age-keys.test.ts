import { identityToRecipient } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import {
  generateX25519Identity,
  isAgeRecipientText,
  parseIdentities,
  parseRecipient,
  x25519RecipientOf,
} from '../src/age/keys.js';
import { counterRandom, failure } from './age-test-helpers.js';

// age-keygen's own example pair from the age README.
const README_IDENTITY = 'AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX';
const fixed = generateX25519Identity(counterRandom(1));

describe('age keys', () => {
  it('writes identities upper case and recipients lower case, as age-keygen does', () => {
    expect(fixed.identity).toMatch(/^AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}$/);
    expect(fixed.recipient).toMatch(/^age1[02-9ac-hj-np-z]{58}$/);
    expect(x25519RecipientOf(fixed.identity)).toBe(fixed.recipient);
    expect(x25519RecipientOf(`  ${fixed.identity}\n`)).toBe(fixed.recipient);
  });

  it('derives the same recipient as typage', async () => {
    expect(x25519RecipientOf(fixed.identity)).toBe(await identityToRecipient(fixed.identity));
    expect(x25519RecipientOf(README_IDENTITY)).toBe(await identityToRecipient(README_IDENTITY));
  });

  it('knows no recipient for what is not an X25519 identity', () => {
    expect(x25519RecipientOf(fixed.identity.toLowerCase())).toBeUndefined();
    expect(x25519RecipientOf(fixed.recipient)).toBeUndefined();
    expect(x25519RecipientOf(`${fixed.identity.slice(0, -1)}Q`)).toBeUndefined();
    expect(x25519RecipientOf('FCSECRET1abc')).toBeUndefined();
  });

  it('tells age recipients by their prefix', () => {
    expect(isAgeRecipientText(fixed.recipient)).toBe(true);
    expect(isAgeRecipientText('age1pq1abc')).toBe(true);
    expect(isAgeRecipientText('fcpub1abc')).toBe(false);
  });

  it('parses an X25519 recipient', async () => {
    expect((await parseRecipient(fixed.recipient, '-r')).type).toBe('X25519');
  });

  it.each([
    ['upper case', fixed.recipient.toUpperCase()],
    ['a bad checksum', `${fixed.recipient.slice(0, -1)}${fixed.recipient.endsWith('q') ? 'p' : 'q'}`],
    ['an identity', fixed.identity],
    ['a native key', 'fcpub1AAAA'],
    ['a hybrid key that is not one', 'age1pq1qqqqqqqq'],
  ])('refuses %s as a recipient (usage, exit 2)', async (_what, text) => {
    expect(await failure(parseRecipient(text, 'recipients.txt line 3'))).toEqual({
      code: 'USAGE',
      message: 'not an age recipient: recipients.txt line 3',
    });
  });

  it('reads an identity file as age-keygen writes it, comments and blank lines skipped, CRLF too', async () => {
    const other = generateX25519Identity(counterRandom(77));
    const file = [
      '# created: 2026-01-01T00:00:00Z',
      `# public key: ${fixed.recipient}`,
      fixed.identity,
      '',
      `${other.identity}\r`,
      '',
    ].join('\n');
    const identities = await parseIdentities(file, 'key.txt');
    expect(identities).toHaveLength(2);
  });

  it('names the bad line without printing it (it may be a secret)', async () => {
    const file = `# comment\n${fixed.identity}\n${fixed.identity.toLowerCase()}\n`;
    expect(await failure(parseIdentities(file, 'key.txt'))).toEqual({
      code: 'USAGE',
      message: 'not an age identity: key.txt line 3',
    });
    expect(await failure(parseIdentities(` ${fixed.identity}`, 'key.txt'))).toEqual({
      code: 'USAGE',
      message: 'not an age identity: key.txt line 1',
    });
  });

  it('refuses a file without identities', async () => {
    expect(await failure(parseIdentities('# nothing here\n\n', 'key.txt'))).toEqual({
      code: 'USAGE',
      message: 'no age identity in key.txt',
    });
  });

  it('hands AGE-SECRET-KEY-PQ-1 lines to the hybrid module', async () => {
    expect(await failure(parseIdentities('AGE-SECRET-KEY-PQ-1QQQQ\n', 'pq.txt'))).toEqual({
      code: 'USAGE',
      message: 'not an age identity: pq.txt line 1',
    });
  });
});
