import { describe, expect, it } from 'vitest';
import { hasher, RawClient, startServer } from './helpers.js';

/** Send lines, then a PING: every reply up to the PONG (left out). */
async function ask(client: RawClient, ...lines: string[]): Promise<string[]> {
  client.send(...lines, 'PING done');
  return (await client.collectUntil(/ PONG /)).slice(0, -1);
}

describe('user mode +w and WALLOPS', () => {
  it('sets and clears +w, which 221 reports', async () => {
    const { port } = await startServer();
    const wren = await RawClient.register(port, 'wren');
    expect(
      await ask(wren, 'MODE wren +w', 'MODE wren', 'MODE wren +iw', 'MODE wren', 'MODE wren -w', 'MODE wren'),
    ).toEqual([
      ':wren!wren@127.0.0.1 MODE wren +w',
      ':test.server 221 wren +w',
      ':wren!wren@127.0.0.1 MODE wren +i',
      ':test.server 221 wren +iw',
      ':wren!wren@127.0.0.1 MODE wren -w',
      ':test.server 221 wren +i',
    ]);
  });

  it("an operator's WALLOPS reaches every user with +w (the sender too when +w), and nobody else", async () => {
    const { port } = await startServer({ opers: { root: await hasher.hash('correct horse') } });
    const boss = await RawClient.register(port, 'boss');
    const wren = await RawClient.register(port, 'wren');
    const plain = await RawClient.register(port, 'plain');
    await ask(wren, 'MODE wren +w');
    boss.send('OPER root :correct horse');
    await boss.next(':boss!boss@127.0.0.1 MODE boss +o');

    expect(await ask(boss, 'WALLOPS :hi everyone')).toEqual([]);
    expect(await ask(wren)).toEqual([':boss!boss@127.0.0.1 WALLOPS :hi everyone']);
    expect(await ask(plain)).toEqual([]);

    expect(await ask(boss, 'MODE boss +w', 'WALLOPS :me too')).toEqual([
      ':boss!boss@127.0.0.1 MODE boss +w',
      ':boss!boss@127.0.0.1 WALLOPS :me too',
    ]);
    expect(await ask(wren)).toEqual([':boss!boss@127.0.0.1 WALLOPS :me too']);
    expect(await ask(plain)).toEqual([]);
  });

  it('refuses users who are not operators (481), even with +w, and WALLOPS without text (461)', async () => {
    const { port } = await startServer();
    const wren = await RawClient.register(port, 'wren');
    expect(await ask(wren, 'MODE wren +w', 'WALLOPS :hi everyone', 'WALLOPS', 'WALLOPS :')).toEqual([
      ':wren!wren@127.0.0.1 MODE wren +w',
      ":test.server 481 wren :Permission Denied- You're not an IRC operator",
      ':test.server 461 wren WALLOPS :Not enough parameters',
      ':test.server 461 wren WALLOPS :Not enough parameters',
    ]);
  });
});
