import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openChatStore } from '../src/db/chat-store.js';
import { capturing, held } from '../src/server/labels.js';
import { Outgoing } from '../src/server/outgoing.js';
import { systemClock } from '../src/timing/clock.js';
import { capClient, exchange, received } from './exchange.js';
import { hasher, RawClient, startServer } from './helpers.js';

const LABELED = 'labeled-response batch';
const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);

describe('labeled-response', () => {
  it('labels a single reply, puts several in a labeled-response batch, and ACKs a command without one', async () => {
    const clock = { ...systemClock, now: () => T0 };
    // Flood control runs on the same clock: stopped, it would never refill.
    const { port } = await startServer({ clock, limits: { floodBurst: 10_000, floodPerSecond: 10_000 } });
    const alice = await capClient(port, 'alice', LABELED);
    const bob = await RawClient.register(port, 'bob');
    await bob.join('#t');
    expect(await exchange(alice, '@label=pQraCjj82e PING hello')).toEqual([
      '@label=pQraCjj82e :test.server PONG test.server :hello',
    ]);
    expect(await exchange(alice, '@label=mGhe5V7RTV WHOIS bob')).toEqual([
      '@label=mGhe5V7RTV :test.server BATCH +label1 labeled-response',
      '@batch=label1 :test.server 311 alice bob bob 127.0.0.1 * :bob Real',
      '@batch=label1 :test.server 319 alice bob :@#t',
      '@batch=label1 :test.server 312 alice bob test.server :quartet chat',
      `@batch=label1 :test.server 317 alice bob 0 ${T0 / 1000} :seconds idle, signon time`,
      '@batch=label1 :test.server 318 alice bob :End of /WHOIS list',
      ':test.server BATCH -label1',
    ]);
    // Without echo-message, a PRIVMSG has no answer: ACK. Bob's copy is his, unlabeled.
    expect(await exchange(alice, '@label=dc11f13f11 PRIVMSG bob :hi')).toEqual(['@label=dc11f13f11 :test.server ACK']);
    expect(await received(bob)).toEqual([':alice!alice@127.0.0.1 PRIVMSG bob :hi']);
    // Errors are answers too.
    expect(await exchange(alice, '@label=e1 FROB')).toEqual(['@label=e1 :test.server 421 alice FROB :Unknown command']);
    expect(await exchange(alice, '@label=e2 KICK #t')).toEqual([
      '@label=e2 :test.server 461 alice KICK :Not enough parameters',
    ]);
  });

  it('labels the echo of a PRIVMSG (echo-message), and only the sender sees the label', async () => {
    const { port } = await startServer();
    const alice = await capClient(port, 'alice', `${LABELED} echo-message message-tags`);
    const bob = await capClient(port, 'bob', 'message-tags');
    await alice.join('#t');
    await bob.join('#t');
    await received(alice);
    const [echo] = await exchange(alice, '@label=pQraCjj82e PRIVMSG #t :hi');
    const msgid = /^@label=pQraCjj82e;msgid=([^ ;]+) :alice!alice@127\.0\.0\.1 PRIVMSG #t :hi$/.exec(echo!)?.[1];
    expect(msgid).toMatch(/^[0-9a-f-]{36}$/);
    expect(await received(bob)).toEqual([`@msgid=${msgid} :alice!alice@127.0.0.1 PRIVMSG #t :hi`]);
  });

  it('nests a CHATHISTORY batch inside the labeled-response batch', async () => {
    const store = openChatStore(':memory:');
    onTestFinished(() => store.close());
    const { port } = await startServer({ store });
    const alice = await capClient(port, 'alice', `${LABELED} draft/chathistory`);
    await alice.join('#t');
    await exchange(alice, 'PRIVMSG #t :one', 'PRIVMSG #t :two');
    expect(await exchange(alice, '@label=h1 CHATHISTORY LATEST #t * 10')).toEqual([
      '@label=h1 :test.server BATCH +label1 labeled-response',
      '@batch=label1 :test.server BATCH +history1 chathistory #t',
      '@batch=history1 :alice!alice@127.0.0.1 PRIVMSG #t :one',
      '@batch=history1 :alice!alice@127.0.0.1 PRIVMSG #t :two',
      '@batch=label1 :test.server BATCH -history1',
      ':test.server BATCH -label1',
    ]);
  });

  it('answers an OPER, checked asynchronously, under its label', async () => {
    const { port } = await startServer({ opers: { boss: await hasher.hash('hunter2') } });
    const alice = await capClient(port, 'alice', LABELED);
    expect(await exchange(alice, '@label=op OPER boss hunter2')).toEqual([
      '@label=op :test.server BATCH +label1 labeled-response',
      '@batch=label1 :test.server 381 alice :You are now an IRC operator',
      '@batch=label1 :alice!alice@127.0.0.1 MODE alice +o',
      ':test.server BATCH -label1',
    ]);
  });

  it('ignores a label from a client without the capability, and one longer than 64 bytes', async () => {
    const { port } = await startServer();
    const plain = await RawClient.register(port, 'plain');
    expect(await exchange(plain, '@label=abc PING x')).toEqual([':test.server PONG test.server :x']);
    const alice = await capClient(port, 'alice', LABELED);
    expect(await exchange(alice, `@label=${'a'.repeat(65)} PING x`)).toEqual([':test.server PONG test.server :x']);
    expect(await exchange(alice, `@label=${'a'.repeat(64)} PING x`)).toEqual([
      `@label=${'a'.repeat(64)} :test.server PONG test.server :x`,
    ]);
  });

  it('collects only the lines its own command sends, through awaits; others sent meanwhile go out at once', async () => {
    const owner = {};
    const line = (text: string) => new Outgoing({ command: 'NOTICE', params: ['x', text] }, 0);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const collected: string[] = [];
    let inCommand!: <R>(fn: () => R) => R;
    const answered = capturing(
      owner,
      async () => {
        inCommand = AsyncLocalStorage.snapshot();
        expect(held(owner, line('before the await'))).toBe(true);
        await gate;
        expect(held(owner, line('after the await'))).toBe(true);
        expect(held({}, line('to another connection'))).toBe(false);
      },
      (lines) => collected.push(...lines.map((l) => l.message.params[1]!)),
    );
    // Meanwhile, outside the command (another client's line to the same connection): not held.
    expect(held(owner, line('from someone else'))).toBe(false);
    release();
    await answered;
    expect(collected).toEqual(['before the await', 'after the await']);
    // Its answer has gone: what its context sends later (a timer it set) goes out at once, even while another
    // connection's command is being collected.
    let releaseOther!: () => void;
    const other = capturing(
      {},
      () => new Promise<void>((resolve) => (releaseOther = resolve)),
      () => undefined,
    );
    expect(inCommand(() => held(owner, line('later')))).toBe(false);
    releaseOther();
    await other;
  });
});
