import { describe, expect, it } from 'vitest';
import { formatMessage, parseMessage } from '../src/protocol/message.js';
import { reconnectDelayMs } from '../web/backoff.js';
import { linkify } from '../web/links.js';
import { authenticateChunks, plainCredentials, Registration } from '../web/registration.js';

/** Feed server lines; the lines the client answers with, formatted. */
function answer(registration: Registration, line: string): string[] | string | undefined {
  const step = registration.receive(parseMessage(line)!);
  if (step?.kind === 'send') return step.messages.map((message) => formatMessage(message));
  return step && ('reason' in step ? `${step.kind}: ${step.reason}` : step.kind);
}

const OFFER = 'away-notify batch cap-notify echo-message invite-notify message-tags multi-prefix server-time setname';

describe('web client registration', () => {
  it('CAP LS 302, then asks for what it uses among what is offered, then CAP END', () => {
    const registration = new Registration('alice', '');
    expect(registration.start().map((message) => formatMessage(message))).toEqual([
      'CAP LS 302',
      'NICK alice',
      'USER alice 0 * alice',
    ]);
    expect(answer(registration, `:test.server CAP * LS :${OFFER}`)).toEqual([
      'CAP REQ :server-time batch echo-message message-tags multi-prefix away-notify',
    ]);
    expect(
      answer(
        registration,
        ':test.server CAP alice ACK :server-time batch echo-message message-tags multi-prefix away-notify',
      ),
    ).toEqual(['CAP END']);
    expect(answer(registration, ':test.server 001 alice :Welcome')).toBe('done');
    expect([...registration.granted]).toEqual([
      'server-time',
      'batch',
      'echo-message',
      'message-tags',
      'multi-prefix',
      'away-notify',
    ]);
  });

  it('reads a multi-line LS, values included; asks for draft/chathistory and sasl when offered', () => {
    const registration = new Registration('alice', 'secret pw');
    expect(answer(registration, ':s CAP * LS * :batch sasl=PLAIN,EXTERNAL')).toBeUndefined();
    expect(answer(registration, ':s CAP * LS :draft/chathistory server-time')).toEqual([
      'CAP REQ :server-time batch draft/chathistory sasl',
    ]);
    expect(registration.offered.get('sasl')).toBe('PLAIN,EXTERNAL');
    expect(answer(registration, ':s CAP * ACK :server-time batch draft/chathistory sasl')).toEqual([
      'AUTHENTICATE PLAIN',
    ]);
    expect(answer(registration, 'AUTHENTICATE +')).toEqual([`AUTHENTICATE ${btoa('\0alice\0secret pw')}`]);
    expect(answer(registration, ':s 900 alice alice!alice@h alice :You are now logged in as alice')).toBeUndefined();
    expect(answer(registration, ':s 903 alice :SASL authentication successful')).toEqual(['CAP END']);
  });

  it('no password: no sasl, even when offered; sasl without PLAIN is not asked for', () => {
    expect(answer(new Registration('a', ''), ':s CAP * LS :sasl')).toEqual(['CAP END']);
    expect(answer(new Registration('a', 'pw'), ':s CAP * LS :sasl=EXTERNAL')).toEqual(['CAP END']);
  });

  it('a failed login, or a refused nickname, is final; a taken one gets a suffix', () => {
    const registration = new Registration('alice', 'wrong');
    expect(answer(registration, ':s 904 alice :SASL authentication failed')).toBe(
      'failed: Login failed: SASL authentication failed',
    );
    expect(answer(registration, ':s 433 * alice :Nickname is already in use')).toEqual(['NICK alice_']);
    expect(answer(registration, ':s 432 * 9x :Erroneous nickname')).toBe(
      'failed: The nickname is not allowed: Erroneous nickname',
    );
    expect(answer(registration, ':s CAP * NAK :sasl')).toEqual(['CAP END']);
  });

  it('SASL payloads: UTF-8 in base64, 400-byte pieces, + after an exact multiple', () => {
    expect(plainCredentials('zoë', 'pässword')).toBe(Buffer.from('\0zoë\0pässword').toString('base64'));
    expect(authenticateChunks('abc')).toEqual(['abc']);
    expect(authenticateChunks('x'.repeat(400))).toEqual(['x'.repeat(400), '+']);
    expect(authenticateChunks('x'.repeat(401))).toEqual(['x'.repeat(400), 'x']);
  });
});

describe('web client reconnect backoff', () => {
  it('doubles from 1 s to at most 30 s, jittered down to half', () => {
    const top = () => 0.999_999;
    expect([0, 1, 2, 3, 4, 5, 6, 20].map((attempt) => reconnectDelayMs(attempt, top))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
    const bottom = () => 0;
    expect([0, 1, 2, 5].map((attempt) => reconnectDelayMs(attempt, bottom))).toEqual([1_000, 1_000, 2_000, 15_000]);
  });
});

describe('web client links', () => {
  it('links http and https URLs as the URL parser reads them, without trailing punctuation', () => {
    expect(linkify('see https://example.org/a?b=1. and http://x.test/')).toEqual([
      { text: 'see ' },
      { text: 'https://example.org/a?b=1', href: 'https://example.org/a?b=1' },
      { text: '. and ' },
      { text: 'http://x.test/', href: 'http://x.test/' },
    ]);
  });

  it('leaves every other scheme as text', () => {
    for (const text of ['javascript:alert(1)', 'data:text/html,<script>', 'ftp://x.test/', 'file:///etc/passwd']) {
      expect(linkify(text)).toEqual([{ text }]);
    }
    expect(linkify('')).toEqual([]);
    expect(linkify('http://[bad')).toEqual([{ text: 'http://[bad' }]);
  });
});
