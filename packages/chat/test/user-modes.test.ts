import { describe, expect, it } from 'vitest';
import { hasher, RawClient, startServer } from './helpers.js';

/** Send lines, then a PING: every reply up to the PONG (left out). */
async function ask(client: RawClient, ...lines: string[]): Promise<string[]> {
  client.send(...lines, 'PING done');
  return (await client.collectUntil(/ PONG /)).slice(0, -1);
}

describe('user modes', () => {
  it('sets and clears +i, reports the modes with 221, and refuses other users (502), nobody (401), unknown flags (501)', async () => {
    const { port } = await startServer({ opers: { root: await hasher.hash('correct horse') } });
    const evan = await RawClient.register(port, 'evan');
    await RawClient.register(port, 'shiv');
    expect(
      await ask(evan, 'MODE evan', 'MODE evan +i', 'MODE Evan', 'MODE evan +i', 'MODE evan -i', 'MODE evan'),
    ).toEqual([
      ':test.server 221 evan +',
      ':evan!evan@127.0.0.1 MODE evan +i',
      ':test.server 221 evan +i',
      ':evan!evan@127.0.0.1 MODE evan -i',
      ':test.server 221 evan +',
    ]);
    expect(await ask(evan, 'MODE shiv +i', 'MODE shiv', 'MODE ghost', 'MODE evan +x')).toEqual([
      ":test.server 502 evan :Can't change mode for other users",
      ":test.server 502 evan :Can't change mode for other users",
      ':test.server 401 evan ghost :No such nick/channel',
      ':test.server 501 evan :Unknown MODE flag',
    ]);
    evan.send('OPER root :correct horse');
    await evan.next(':evan!evan@127.0.0.1 MODE evan +o');
    expect(await ask(evan, 'MODE evan +i', 'MODE evan', 'MODE evan +o-o', 'MODE evan')).toEqual([
      ':evan!evan@127.0.0.1 MODE evan +i',
      ':test.server 221 evan +io',
      // +o only comes from OPER; -o drops it.
      ':evan!evan@127.0.0.1 MODE evan -o',
      ':test.server 221 evan +i',
    ]);
  });
});
