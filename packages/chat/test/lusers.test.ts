import { describe, expect, it } from 'vitest';
import { hasher, RawClient, startServer } from './helpers.js';

/** LUSERS, and every line up to 266. */
function lusers(client: RawClient): Promise<string[]> {
  client.send('LUSERS');
  return client.collectUntil(/ 266 /);
}

describe('LUSERS', () => {
  it('is part of the welcome burst: 251–255, then 265 and 266 with the counts as parameters', async () => {
    const { port } = await startServer();
    const client = await RawClient.connect(port);
    client.send('NICK alice', 'USER alice 0 * :Alice');
    const burst = await client.collectUntil(/ 266 /);
    expect(burst.slice(burst.findIndex((line) => / 251 /.test(line)))).toEqual([
      ':test.server 251 alice :There are 1 users and 0 invisible on 1 servers',
      ':test.server 252 alice 0 :operator(s) online',
      ':test.server 253 alice 0 :unknown connection(s)',
      ':test.server 254 alice 0 :channels formed',
      ':test.server 255 alice :I have 1 clients and 0 servers',
      ':test.server 265 alice 1 1 :Current local users 1, max 1',
      ':test.server 266 alice 1 1 :Current global users 1, max 1',
    ]);
    expect(await client.next(/ 422 /)).toBe(':test.server 422 alice :MOTD File is missing');
  });

  it('counts invisible users, operators, unregistered connections and channels, and keeps the peak', async () => {
    const { port } = await startServer({ opers: { root: await hasher.hash('correct horse') } });
    const alice = await RawClient.register(port, 'alice');
    const bob = await RawClient.register(port, 'bob');
    const carol = await RawClient.register(port, 'carol');
    const unknown = await RawClient.connect(port);
    unknown.send('NICK halfway');
    await unknown.sync();
    bob.send('MODE bob +i');
    await bob.next(':bob!bob@127.0.0.1 MODE bob +i');
    carol.send('OPER root :correct horse');
    await carol.next(/ 381 /);
    await alice.join('#one');
    await alice.join('#two');
    expect(await lusers(alice)).toEqual([
      ':test.server 251 alice :There are 2 users and 1 invisible on 1 servers',
      ':test.server 252 alice 1 :operator(s) online',
      ':test.server 253 alice 1 :unknown connection(s)',
      ':test.server 254 alice 2 :channels formed',
      ':test.server 255 alice :I have 3 clients and 0 servers',
      ':test.server 265 alice 3 3 :Current local users 3, max 3',
      ':test.server 266 alice 3 3 :Current global users 3, max 3',
    ]);

    bob.send('QUIT');
    await bob.closed;
    unknown.send('QUIT');
    await unknown.closed;
    carol.send('MODE carol -o');
    await carol.next(':carol!carol@127.0.0.1 MODE carol -o');
    alice.send('PART #two');
    await alice.next(/ PART #two/);
    expect(await lusers(alice)).toEqual([
      ':test.server 251 alice :There are 2 users and 0 invisible on 1 servers',
      ':test.server 252 alice 0 :operator(s) online',
      ':test.server 253 alice 0 :unknown connection(s)',
      ':test.server 254 alice 1 :channels formed',
      ':test.server 255 alice :I have 2 clients and 0 servers',
      ':test.server 265 alice 2 3 :Current local users 2, max 3',
      ':test.server 266 alice 2 3 :Current global users 2, max 3',
    ]);
  });

  it('is refused before registration (451)', async () => {
    const { port } = await startServer();
    const client = await RawClient.connect(port);
    client.send('NICK early', 'LUSERS');
    await client.next(':test.server 451 early :You have not registered');
  });
});
