import { serviceForTests } from '@quartet/core';
import { describe, expect, it } from 'vitest';
import { accountServer, saslClient, seedAccount } from './account-server.js';
import { capClient, exchange, joinAll, received } from './exchange.js';
import { RawClient } from './helpers.js';
import { eventually, node, operFile, prefix } from './network-nodes.js';

const redis = await serviceForTests('redis');
if (!redis.available) console.log(`chat network account tests ${redis.reason}`);

describe('account-tag', () => {
  it("tags a logged-in user's messages with account=, only for readers with the capability", async () => {
    const { port, store } = await accountServer();
    await seedAccount(store, 'alice', 'alices password');
    const alice = await saslClient(port, 'alice', 'alices password');
    const tagged = await capClient(port, 'tagged', 'account-tag');
    const both = await capClient(port, 'both', 'account-tag message-tags');
    const bare = await RawClient.register(port, 'bare');
    await joinAll('#t', [alice, tagged, both, bare]);
    await exchange(alice, 'PRIVMSG #t :hi', 'NOTICE bare :psst');
    expect(await received(tagged)).toEqual(['@account=alice :alice!alice@127.0.0.1 PRIVMSG #t :hi']);
    expect(await received(both)).toEqual([
      expect.stringMatching(/^@msgid=[^; ]+;account=alice :alice!alice@127\.0\.0\.1 PRIVMSG #t :hi$/),
    ]);
    expect(await received(bare)).toEqual([
      ':alice!alice@127.0.0.1 PRIVMSG #t :hi',
      ':alice!alice@127.0.0.1 NOTICE bare :psst',
    ]);
    // Not only messages: a PART carries it too; a user not logged in sends no tag.
    await exchange(alice, 'PART #t');
    await exchange(bare, 'PRIVMSG #t :plain');
    expect(await received(tagged)).toEqual([
      '@account=alice :alice!alice@127.0.0.1 PART #t',
      ':bare!bare@127.0.0.1 PRIVMSG #t :plain',
    ]);
  });
});

describe('account-notify', () => {
  it('tells channel peers with the capability, and the user, of a login', async () => {
    const { port, store } = await accountServer();
    await seedAccount(store, 'dave', 'daves-password');
    const dave = await capClient(port, 'dave', 'account-notify');
    const erin = await capClient(port, 'erin', 'account-notify');
    const frank = await RawClient.register(port, 'frank');
    const stranger = await capClient(port, 'stranger', 'account-notify');
    await joinAll('#t', [dave, erin, frank]);
    await received(stranger);
    expect(await exchange(dave, 'NS IDENTIFY daves-password')).toEqual([
      ':NickServ!NickServ@services. NOTICE dave :You are now identified as dave.',
      ':test.server 900 dave dave!dave@127.0.0.1 dave :You are now logged in as dave',
      ':dave!dave@127.0.0.1 ACCOUNT dave',
    ]);
    expect(await received(erin)).toEqual([':dave!dave@127.0.0.1 ACCOUNT dave']);
    expect(await received(frank)).toEqual([]);
    expect(await received(stranger)).toEqual([]);
  });
});

describe('extended-join', () => {
  it("gives the joiner's account (or *) and realname to readers with the capability", async () => {
    const { port, store } = await accountServer();
    await seedAccount(store, 'henry', 'henrys password');
    const gina = await capClient(port, 'gina', 'extended-join');
    const old = await RawClient.register(port, 'old');
    await joinAll('#x', [gina, old]);
    const henry = await saslClient(port, 'henry', 'henrys password', 'extended-join');
    expect((await exchange(henry, 'JOIN #x'))[0]).toBe(':henry!henry@127.0.0.1 JOIN #x henry :henry Real');
    const ivan = await RawClient.register(port, 'ivan');
    await exchange(ivan, 'JOIN #x');
    expect(await received(gina)).toEqual([
      ':henry!henry@127.0.0.1 JOIN #x henry :henry Real',
      ':ivan!ivan@127.0.0.1 JOIN #x * :ivan Real',
    ]);
    expect(await received(old)).toEqual([':henry!henry@127.0.0.1 JOIN #x', ':ivan!ivan@127.0.0.1 JOIN #x']);
    // WHOX %a: the account, or 0 for none.
    expect(await exchange(gina, 'WHO #x %na')).toEqual([
      ':test.server 354 gina gina :0',
      ':test.server 354 gina old :0',
      ':test.server 354 gina henry :henry',
      ':test.server 354 gina ivan :0',
      ':test.server 315 gina #x :End of WHO list',
    ]);
  });
});

describe.skipIf(!redis.available)('accounts across a network', () => {
  it("carries a login, the account tag and WHOIS 330 to the other servers' users", async () => {
    const keys = prefix();
    const opers = await operFile();
    const a = await node(redis.url, 'a', keys, opers);
    const b = await node(redis.url, 'b', keys, opers);
    const alice = await RawClient.register(a.port, 'alice');
    await alice.join('#n');
    const carol = await capClient(b.port, 'carol', 'account-tag account-notify');
    await carol.join('#n');
    await eventually(carol, 'NAMES #n', / 366 /, / 353 carol = #n :.*alice/);
    await received(carol);

    alice.send('REGISTER * * :through the looking glass');
    expect(await carol.next(/ ACCOUNT /)).toBe('@account=alice :alice!alice@127.0.0.1 ACCOUNT alice');
    const whois = await eventually(carol, 'WHOIS alice', / 318 /, / 330 /);
    expect(whois.filter((line) => / 330 /.test(line))).toEqual([
      ':b.quartet.test 330 carol alice alice :is logged in as',
    ]);
    alice.send('PRIVMSG #n :hi from a');
    expect(await carol.next(/ PRIVMSG /)).toBe('@account=alice :alice!alice@127.0.0.1 PRIVMSG #n :hi from a');
  });
});
