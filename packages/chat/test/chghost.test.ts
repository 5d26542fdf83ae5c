import { serviceForTests } from '@quartet/core';
import { describe, expect, it } from 'vitest';
import { capClient, exchange, joinAll, received, unthrottledServer } from './exchange.js';
import { hasher, RawClient, startServer } from './helpers.js';
import { eventually, node, operFile, prefix } from './network-nodes.js';

async function operator(port: number): Promise<RawClient> {
  const boss = await RawClient.register(port, 'boss');
  boss.send('OPER boss hunter2');
  await boss.next(/ MODE boss \+o$/);
  return boss;
}

describe('chghost and CHGHOST', () => {
  it('tells the user and channel peers with the capability; WHOIS, USERHOST and later lines show the new host', async () => {
    const { port } = await startServer({ opers: { boss: await hasher.hash('hunter2') } });
    const boss = await operator(port);
    const vic = await capClient(port, 'vic', 'chghost');
    const watch = await capClient(port, 'watch', 'chghost');
    const bare = await RawClient.register(port, 'bare');
    await joinAll('#t', [vic, watch, bare]);

    expect(await exchange(boss, 'CHGHOST vic staff.quartet.example')).toEqual([
      ':test.server NOTICE boss :Changed the host of vic to staff.quartet.example',
    ]);
    expect(await received(vic)).toEqual([':vic!vic@127.0.0.1 CHGHOST vic staff.quartet.example']);
    expect(await received(watch)).toEqual([':vic!vic@127.0.0.1 CHGHOST vic staff.quartet.example']);
    expect(await received(bare)).toEqual([]);

    expect((await exchange(bare, 'WHOIS vic'))[0]).toBe(
      ':test.server 311 bare vic vic staff.quartet.example * :vic Real',
    );
    expect(await exchange(bare, 'USERHOST vic')).toEqual([':test.server 302 bare :vic=+vic@staff.quartet.example']);
    vic.send('PRIVMSG #t :new look');
    expect(await bare.next(/PRIVMSG #t/)).toBe(':vic!vic@staff.quartet.example PRIVMSG #t :new look');
    // The same host again changes nothing and tells nobody.
    expect(await exchange(boss, 'CHGHOST vic staff.quartet.example')).toEqual([]);
    expect(await received(watch)).toEqual([':vic!vic@staff.quartet.example PRIVMSG #t :new look']);
  });

  it('is for operators, and refuses a missing or malformed host and an unknown nick', async () => {
    const { port } = await unthrottledServer();
    const alice = await RawClient.register(port, 'alice');
    expect(await exchange(alice, 'CHGHOST alice x.example')).toEqual([
      ":test.server 481 alice :Permission Denied- You're not an IRC operator",
    ]);
    const { port: opPort } = await startServer({ opers: { boss: await hasher.hash('hunter2') } });
    const boss = await operator(opPort);
    const long = `${'a'.repeat(60)}.com`;
    expect(
      await exchange(boss, 'CHGHOST boss', 'CHGHOST boss bad@host', 'CHGHOST boss -dash', `CHGHOST boss ${long}`),
    ).toEqual([
      ':test.server 461 boss CHGHOST :Not enough parameters',
      ':test.server FAIL CHGHOST INVALID_HOST bad@host :Host is not valid',
      ':test.server FAIL CHGHOST INVALID_HOST -dash :Host is not valid',
      `:test.server FAIL CHGHOST INVALID_HOST ${long} :Host is not valid`,
    ]);
    expect(await exchange(boss, 'CHGHOST nobody x.example')).toEqual([
      ':test.server 401 boss nobody :No such nick/channel',
    ]);
    expect(await exchange(boss, 'CHGHOST boss 2001:db8::1')).toEqual([
      ':test.server NOTICE boss :Changed the host of boss to 2001:db8::1',
    ]);
  });

  it('hides nobody from bans: channel and server bans still match the real address', async () => {
    const { port } = await startServer({ opers: { boss: await hasher.hash('hunter2') } });
    const boss = await operator(port);
    const vic = await RawClient.register(port, 'vic');
    await exchange(boss, 'CHGHOST vic cloaked.example');
    await boss.join('#shut');
    await exchange(boss, 'MODE #shut +b *!*@127.0.0.1');
    expect(await exchange(vic, 'JOIN #shut')).toEqual([':test.server 474 vic #shut :Cannot join channel (+b)']);

    boss.send('BAN *!vic@127.0.0.1 1h spam');
    expect(await vic.next(/^ERROR/)).toBe('ERROR :Closing Link: 127.0.0.1 (Banned (spam))');
  });
});

const redis = await serviceForTests('redis');

describe.skipIf(!redis.available)('CHGHOST across servers joined through Redis', () => {
  it('reaches peers with the capability on the other server, whose WHOIS shows the new host', async () => {
    const keys = prefix();
    const opers = await operFile();
    const a = await node(redis.url, 'a', keys, opers);
    const b = await node(redis.url, 'b', keys, opers);
    const remote = await capClient(b.port, 'remote', 'chghost');
    await remote.join('#net');
    const vic = await RawClient.register(a.port, 'vic');
    await vic.join('#net');
    await remote.next(':vic!vic@127.0.0.1 JOIN #net');
    const boss = await RawClient.register(a.port, 'boss');
    boss.send('OPER boss hunter2');
    await boss.next(/ MODE boss \+o$/);

    boss.send('CHGHOST vic vhost.example');
    expect(await remote.next(/ CHGHOST /)).toBe(':vic!vic@127.0.0.1 CHGHOST vic vhost.example');
    await eventually(remote, 'WHOIS vic', / 318 /, / 311 remote vic vic vhost\.example \* :vic Real$/);
    expect(await exchange(boss, 'CHGHOST remote x.example')).toEqual([
      ':a.quartet.test FAIL CHGHOST REMOTE_USER remote :User is on another server; ask an operator there',
    ]);
  });
});
