import { serviceForTests } from '@quartet/core';
import { describe, expect, it } from 'vitest';
import { RawClient, startServer } from './helpers.js';
import { eventually, node, operFile, prefix } from './network-nodes.js';
import { run, SERVER, spawnServer } from './processes.js';

const redis = await serviceForTests('redis');

/** Send lines, then a PING: every reply up to the PONG (left out). */
async function ask(client: RawClient, ...lines: string[]): Promise<string[]> {
  client.send(...lines, 'PING done');
  return (await client.collectUntil(/ PONG /)).slice(0, -1);
}

describe('LINKS and the server description', () => {
  it('LINKS lists this server with hopcount 0 and its description, then 365', async () => {
    const { port } = await startServer({ description: 'a test server' });
    const alice = await RawClient.register(port, 'alice');
    expect(await ask(alice, 'LINKS')).toEqual([
      ':test.server 364 alice test.server test.server :0 a test server',
      ':test.server 365 alice * :End of /LINKS list',
    ]);
  });

  it("WHOIS shows the description as the user's server info (312)", async () => {
    const { port } = await startServer({ description: 'a test server' });
    const alice = await RawClient.register(port, 'alice');
    expect(await ask(alice, 'WHOIS alice')).toEqual([
      ':test.server 311 alice alice alice 127.0.0.1 * :alice Real',
      ':test.server 312 alice alice test.server :a test server',
      expect.stringMatching(/^:test\.server 317 alice alice \d+ \d+ :seconds idle, signon time$/),
      ':test.server 318 alice alice :End of /WHOIS list',
    ]);
  });

  it('chat-server takes the description from --info, and refuses an empty one', async () => {
    const server = await spawnServer([
      '--port',
      '0',
      '--no-persist',
      '--name',
      'irc.example',
      '--info',
      'the test server',
    ]);
    const alice = await RawClient.register(server.port!, 'alice');
    expect(await ask(alice, 'LINKS')).toEqual([
      ':irc.example 364 alice irc.example irc.example :0 the test server',
      ':irc.example 365 alice * :End of /LINKS list',
    ]);
    expect(await run(SERVER, ['--port', '0', '--info', ''])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'chat-server: info: must not be empty\n',
    });
  });

  it.skipIf(!redis.available)('on a network, LINKS lists the other servers with hopcount 1', async () => {
    const keys = prefix();
    const opers = await operFile();
    const a = await node(redis.url, 'a', keys, opers);
    await node(redis.url, 'b', keys, opers);
    const alice = await RawClient.register(a.port, 'alice');
    expect(await eventually(alice, 'LINKS', / 365 /, / 364 alice b\.quartet\.test /)).toEqual([
      ':a.quartet.test 364 alice a.quartet.test a.quartet.test :0 quartet chat',
      ':a.quartet.test 364 alice b.quartet.test a.quartet.test :1 quartet chat',
      ':a.quartet.test 365 alice * :End of /LINKS list',
    ]);
  });
});
