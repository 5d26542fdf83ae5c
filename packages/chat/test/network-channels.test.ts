import { serviceForTests } from '@quartet/core';
import { describe, expect, it } from 'vitest';
import { RawClient } from './helpers.js';
import { eventually, node, operFile, prefix } from './network-nodes.js';

const redis = await serviceForTests('redis');

describe.skipIf(!redis.available)('channel modes on a network of servers', () => {
  it('keeps modes, ranks and invites per server, as documented, and carries STATUSMSG and INVITE across', async () => {
    const keys = prefix();
    const opers = await operFile();
    const a = await node(redis.url, 'a', keys, opers);
    const b = await node(redis.url, 'b', keys, opers);
    const a1 = await RawClient.register(a.port, 'a1');
    await a1.join('#c');
    const b1 = await RawClient.register(b.port, 'b1');
    await b1.join('#c');
    await a1.next(':b1!b1@127.0.0.1 JOIN #c');
    const b2 = await RawClient.register(b.port, 'b2');
    await b2.join('#c');
    await a1.next(':b2!b2@127.0.0.1 JOIN #c');
    const a2 = await RawClient.register(a.port, 'a2');
    await a2.join('#c');
    await b1.next(':a2!a2@127.0.0.1 JOIN #c');
    // The first local member is operator on each server: a1 here, b1 there.
    await eventually(a1, 'NAMES #c', / 366 /, / 353 a1 = #c :@a1 a2 @b1 b2$/);

    // @#chan reaches the operators of each server, as each server ranks its members.
    a2.send('PRIVMSG @#c :ops only', 'PRIVMSG #c :everyone');
    await a1.next(':a2!a2@127.0.0.1 PRIVMSG @#c :ops only');
    await b1.next(':a2!a2@127.0.0.1 PRIVMSG @#c :ops only');
    await b2.next(':a2!a2@127.0.0.1 PRIVMSG #c :everyone');
    expect(b2.lines.filter((line) => line.includes('ops only'))).toEqual([]);

    // +m set on server a binds a's members; b's copy of the channel is not moderated, and MODE stays on a.
    a1.send('MODE #c +m');
    await a2.next(':a1!a1@127.0.0.1 MODE #c +m');
    a2.send('PRIVMSG #c :muted?');
    await a2.next(':a.quartet.test 404 a2 #c :Cannot send to channel');
    b2.send('PRIVMSG #c :from b');
    await a1.next(':b2!b2@127.0.0.1 PRIVMSG #c :from b');
    await b1.next(':b2!b2@127.0.0.1 PRIVMSG #c :from b');
    expect(b1.lines.filter((line) => line.includes(' MODE #c'))).toEqual([]);
    expect(b1.lines.filter((line) => line.includes('muted?'))).toEqual([]);

    // INVITE reaches a user on another server; 443 for one who is already in the channel there.
    const b3 = await RawClient.register(b.port, 'b3');
    await eventually(a1, 'ISON b3', / 303 /, / 303 a1 :b3$/);
    a1.send('INVITE b3 #c', 'INVITE b2 #c');
    await a1.next(':a.quartet.test 341 a1 b3 #c');
    await a1.next(':a.quartet.test 443 a1 b2 #c :is already on channel');
    await b3.next(':a1!a1@127.0.0.1 INVITE b3 #c');
  });
});
