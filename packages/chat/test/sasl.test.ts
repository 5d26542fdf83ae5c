import { describe, expect, it } from 'vitest';
import { addChunk, decodePlain, type ChunkResult } from '../src/server/sasl.js';
import { accountServer, plain, seedAccount } from './account-server.js';
import { exchange } from './exchange.js';
import { RawClient } from './helpers.js';

describe('SASL PLAIN', () => {
  it('logs in between CAP REQ and CAP END, as irssi and WeeChat do, and refuses a second login', async () => {
    const { port, store } = await accountServer();
    await seedAccount(store, 'alice', 'correct horse');
    const alice = await RawClient.connect(port);
    alice.send('CAP LS 302');
    expect(await alice.next(/ CAP \* LS /)).toMatch(/ sasl=PLAIN /);
    expect(
      await exchange(alice, 'CAP REQ :sasl', 'NICK alice', 'USER alice 0 * :Alice Real', 'AUTHENTICATE PLAIN'),
    ).toEqual([':test.server CAP * ACK :sasl', 'AUTHENTICATE +']);
    expect(await exchange(alice, `AUTHENTICATE ${plain('alice', 'correct horse')}`)).toEqual([
      ':test.server 900 alice alice!alice@127.0.0.1 alice :You are now logged in as alice',
      ':test.server 903 alice :SASL authentication successful',
    ]);
    alice.send('CAP END');
    await alice.next(/ (376|422) /);
    expect(await exchange(alice, 'AUTHENTICATE PLAIN')).toEqual([
      ':test.server 907 alice :You have already authenticated using SASL',
    ]);
    const bob = await RawClient.register(port, 'bob');
    expect((await exchange(bob, 'WHOIS alice')).filter((line) => / 330 /.test(line))).toEqual([
      ':test.server 330 bob alice alice :is logged in as',
    ]);
  });

  it('logs in after registration too, with an empty or matching authzid and any case of account name', async () => {
    const { port, store } = await accountServer();
    await seedAccount(store, 'Carol', 'carols password');
    const carol = await RawClient.register(port, 'carol');
    expect(
      await exchange(carol, 'AUTHENTICATE plain', `AUTHENTICATE ${plain('carol', 'carols password', 'CAROL')}`),
    ).toEqual([
      'AUTHENTICATE +',
      ':test.server 900 carol carol!carol@127.0.0.1 Carol :You are now logged in as Carol',
      ':test.server 903 carol :SASL authentication successful',
    ]);
    const dave = await RawClient.register(port, 'dave');
    expect(await exchange(dave, 'AUTHENTICATE PLAIN', `AUTHENTICATE ${plain('Carol', 'carols password', '')}`)).toEqual(
      [
        'AUTHENTICATE +',
        ':test.server 900 dave dave!dave@127.0.0.1 Carol :You are now logged in as Carol',
        ':test.server 903 dave :SASL authentication successful',
      ],
    );
  });

  it('answers unknown mechanisms, aborts, too-long chunks and malformed payloads', async () => {
    const { port, store } = await accountServer();
    await seedAccount(store, 'erin', 'erins password');
    const erin = await RawClient.register(port, 'erin');
    expect(
      await exchange(
        erin,
        'AUTHENTICATE SCRAM-SHA-256',
        'AUTHENTICATE PLAIN',
        'AUTHENTICATE *',
        'AUTHENTICATE PLAIN',
        `AUTHENTICATE ${'A'.repeat(401)}`,
        'AUTHENTICATE PLAIN',
        `AUTHENTICATE ${'A'.repeat(400)}`,
      ),
    ).toEqual([
      ':test.server 908 erin PLAIN :are available SASL mechanisms',
      ':test.server 904 erin :SASL authentication failed',
      'AUTHENTICATE +',
      ':test.server 906 erin :SASL authentication aborted',
      'AUTHENTICATE +',
      ':test.server 905 erin :SASL message too long',
      'AUTHENTICATE +',
      // A full 400-byte chunk: more follows, so nothing yet.
    ]);
    expect(await exchange(erin, 'AUTHENTICATE +')).toEqual([':test.server 904 erin :SASL authentication failed']);
    expect(await exchange(erin, 'AUTHENTICATE PLAIN', 'AUTHENTICATE not*base64')).toEqual([
      'AUTHENTICATE +',
      ':test.server 904 erin :SASL authentication failed',
    ]);
    // The third failure on a connection closes it: each further guess costs a new connection.
    erin.send('AUTHENTICATE PLAIN', `AUTHENTICATE ${plain('erin', 'erins password', 'someone-else')}`);
    await erin.closed;
    expect(erin.lines.slice(-3)).toEqual([
      'AUTHENTICATE +',
      ':test.server 904 erin :SASL authentication failed',
      'ERROR :Closing Link: 127.0.0.1 (Too many failed login attempts)',
    ]);
  });

  it('fails a wrong password and an unknown account alike', async () => {
    const { port, store } = await accountServer();
    await seedAccount(store, 'frank', 'franks password');
    const frank = await RawClient.register(port, 'frank');
    expect(
      await exchange(
        frank,
        'AUTHENTICATE PLAIN',
        `AUTHENTICATE ${plain('frank', 'not his password')}`,
        'AUTHENTICATE PLAIN',
        `AUTHENTICATE ${plain('nobody', 'franks password')}`,
      ),
    ).toEqual([
      'AUTHENTICATE +',
      ':test.server 904 frank :SASL authentication failed',
      'AUTHENTICATE +',
      ':test.server 904 frank :SASL authentication failed',
    ]);
  });
});

describe('SASL payloads', () => {
  const chunks = (...parts: string[]): ChunkResult[] => {
    const session = { data: '' };
    return parts.map((part) => addChunk(session, part));
  };
  it.each([
    ['one short chunk', ['YWJj'], [{ kind: 'done', payload: 'YWJj' }]],
    [
      'a full chunk, then the rest',
      ['A'.repeat(400), 'QQ=='],
      [{ kind: 'more' }, { kind: 'done', payload: `${'A'.repeat(400)}QQ==` }],
    ],
    ['a full chunk, then +', ['A'.repeat(400), '+'], [{ kind: 'more' }, { kind: 'done', payload: 'A'.repeat(400) }]],
    ['an empty payload', ['+'], [{ kind: 'done', payload: '' }]],
    ['a chunk over 400', ['A'.repeat(401)], [{ kind: 'tooLong' }]],
    [
      'more than 1600 in all',
      ['A'.repeat(400), 'A'.repeat(400), 'A'.repeat(400), 'A'.repeat(400), 'A'],
      [{ kind: 'more' }, { kind: 'more' }, { kind: 'more' }, { kind: 'more' }, { kind: 'tooLong' }],
    ],
  ])('%s', (_name, parts, expected) => {
    expect(chunks(...parts)).toEqual(expected);
  });

  it.each([
    ['no authzid', plain('a', 'pw', ''), { account: 'a', password: 'pw' }],
    ['the same authzid', plain('a', 'pw', 'A'), { account: 'a', password: 'pw' }],
    ['another authzid', plain('a', 'pw', 'b'), undefined],
    ['two fields', Buffer.from('a\0pw').toString('base64'), undefined],
    ['an empty password', plain('a', ''), undefined],
    ['not base64', 'a*b=', undefined],
    ['base64 cut short', 'YWJjZA', undefined],
  ])('decodes %s', (_name, payload, expected) => {
    expect(decodePlain(payload)).toEqual(expected);
  });
});
