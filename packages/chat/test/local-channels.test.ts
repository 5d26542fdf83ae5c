import { serviceForTests } from '@quartet/core';
import { describe, expect, it } from 'vitest';
import { RawClient, startServer } from './helpers.js';
import { eventually, node, operFile, prefix } from './network-nodes.js';

const redis = await serviceForTests('redis');

/** Send lines, then a PING: every reply up to the PONG (left out). */
async function ask(client: RawClient, ...lines: string[]): Promise<string[]> {
  client.send(...lines, 'PING done');
  return (await client.collectUntil(/ PONG /)).slice(0, -1);
}

describe('& channels (local to one server)', () => {
  it('are channels like # ones: JOIN, NAMES, messages, MODE, TOPIC; up to 50 characters', async () => {
    const { port } = await startServer();
    const alice = await RawClient.register(port, 'alice');
    const bob = await RawClient.register(port, 'bob');
    expect(await ask(alice, 'JOIN &here')).toEqual([
      ':alice!alice@127.0.0.1 JOIN &here',
      ':test.server 353 alice = &here :@alice',
      ':test.server 366 alice &here :End of /NAMES list',
    ]);
    await ask(bob, 'JOIN &here');
    expect(await ask(alice, 'PRIVMSG &here :hi', 'TOPIC &here :local only', 'MODE &here +m')).toEqual([
      ':bob!bob@127.0.0.1 JOIN &here',
      ':alice!alice@127.0.0.1 TOPIC &here :local only',
      ':alice!alice@127.0.0.1 MODE &here +m',
    ]);
    expect(await ask(bob)).toEqual([
      ':alice!alice@127.0.0.1 PRIVMSG &here :hi',
      ':alice!alice@127.0.0.1 TOPIC &here :local only',
      ':alice!alice@127.0.0.1 MODE &here +m',
    ]);
    const longest = `&${'a'.repeat(49)}`;
    expect(await ask(alice, `JOIN ${longest}a`, 'JOIN &')).toEqual([
      `:test.server 403 alice ${longest}a :No such channel`,
      ':test.server 403 alice & :No such channel',
    ]);
    expect((await ask(alice, `JOIN ${longest}`))[0]).toBe(`:alice!alice@127.0.0.1 JOIN ${longest}`);
  });

  it('count towards their own limit of 50 (CHANLIMIT=#:50,&:50), apart from # channels', async () => {
    const { port } = await startServer();
    const alice = await RawClient.register(port, 'alice');
    const hashes = Array.from({ length: 50 }, (_, i) => `#c${i}`);
    await ask(alice, `JOIN ${hashes.join(',')}`);
    expect(await ask(alice, 'JOIN #c50')).toEqual([':test.server 405 alice #c50 :You have joined too many channels']);
    const locals = Array.from({ length: 50 }, (_, i) => `&c${i}`);
    const joined = await ask(alice, `JOIN ${locals.join(',')}`);
    expect(joined.filter((line) => line.includes(' JOIN '))).toHaveLength(50);
    expect(await ask(alice, 'JOIN &c50')).toEqual([':test.server 405 alice &c50 :You have joined too many channels']);
  });

  it.skipIf(!redis.available)(
    'never cross the network: other servers do not see their members or messages',
    async () => {
      const keys = prefix();
      const opers = await operFile();
      const a = await node(redis.url, 'a', keys, opers);
      const b = await node(redis.url, 'b', keys, opers);
      const carol = await RawClient.register(b.port, 'carol');
      await ask(carol, 'JOIN &room', 'JOIN #shared');
      const alice = await RawClient.register(a.port, 'alice');
      await ask(alice, 'JOIN &room', 'JOIN #shared');
      await carol.next(':alice!alice@127.0.0.1 JOIN #shared');
      // Two different channels that share a name: each server has its own &room, and alice created hers.
      expect(await ask(alice, 'NAMES &room')).toEqual([
        ':a.quartet.test 353 alice = &room :@alice',
        ':a.quartet.test 366 alice &room :End of /NAMES list',
      ]);
      alice.send('PRIVMSG &room :only here', 'PRIVMSG #shared :everywhere');
      await carol.next(':alice!alice@127.0.0.1 PRIVMSG #shared :everywhere');
      // alice created #shared on her server, so she is its operator there.
      expect(await eventually(carol, 'WHOIS alice', / 318 /, / 319 /)).toEqual([
        ':b.quartet.test 311 carol alice alice 127.0.0.1 * :alice Real',
        ':b.quartet.test 319 carol alice :@#shared',
        ':b.quartet.test 312 carol alice a.quartet.test :quartet chat',
        ':b.quartet.test 318 carol alice :End of /WHOIS list',
      ]);
      // Everything carol ever heard about &room is her own JOIN and its NAMES.
      expect(carol.lines.filter((line) => line.includes('&room'))).toEqual([
        ':carol!carol@127.0.0.1 JOIN &room',
        ':b.quartet.test 353 carol = &room :@carol',
        ':b.quartet.test 366 carol &room :End of /NAMES list',
      ]);
    },
  );
});
