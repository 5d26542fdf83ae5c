import { serviceForTests } from '@quartet/core';
import { describe, expect, it } from 'vitest';
import { RawClient } from './helpers.js';
import { eventually, node, operFile, prefix } from './network-nodes.js';

const redis = await serviceForTests('redis');
if (!redis.available) console.log(`chat network query tests ${redis.reason}`);

describe.skipIf(!redis.available)('LUSERS and WHO across a network', () => {
  it("count and list the other servers' users", async () => {
    const keys = prefix();
    const opers = await operFile();
    const a = await node(redis.url, 'a', keys, opers);
    const b = await node(redis.url, 'b', keys, opers);
    const alice = await RawClient.register(a.port, 'alice');
    await RawClient.register(b.port, 'carol');

    const lusers = await eventually(alice, 'LUSERS', / 266 /, / 266 alice 2 /);
    expect(lusers.slice(lusers.findIndex((line) => / 251 /.test(line)))).toEqual([
      ':a.quartet.test 251 alice :There are 2 users and 0 invisible on 2 servers',
      ':a.quartet.test 252 alice 0 :operator(s) online',
      ':a.quartet.test 253 alice 0 :unknown connection(s)',
      ':a.quartet.test 254 alice 0 :channels formed',
      ':a.quartet.test 255 alice :I have 1 clients and 1 servers',
      ':a.quartet.test 265 alice 1 1 :Current local users 1, max 1',
      ':a.quartet.test 266 alice 2 2 :Current global users 2, max 2',
    ]);

    alice.send('WHO c*');
    expect(await alice.collectUntil(/ 315 /)).toEqual([
      ':a.quartet.test 352 alice * carol 127.0.0.1 b.quartet.test carol H :1 carol Real',
      ':a.quartet.test 315 alice c* :End of WHO list',
    ]);
    alice.send('WHO *');
    expect(await alice.collectUntil(/ 315 /)).toEqual([
      ':a.quartet.test 352 alice * alice 127.0.0.1 a.quartet.test alice H :0 alice Real',
      ':a.quartet.test 352 alice * carol 127.0.0.1 b.quartet.test carol H :1 carol Real',
      ':a.quartet.test 315 alice * :End of WHO list',
    ]);
  });
});
