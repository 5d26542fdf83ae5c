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

describe('bot mode (IRCv3, BOT=B)', () => {
  it('marks a bot in WHOIS (335) and in WHO flags (B)', async () => {
    const { port } = await startServer();
    const bot = await RawClient.register(port, 'botnick');
    expect(await ask(bot, 'MODE botnick +B', 'MODE botnick')).toEqual([
      ':botnick!botnick@127.0.0.1 MODE botnick +B',
      ':test.server 221 botnick +B',
    ]);
    await bot.join('#chan');
    const user = await RawClient.register(port, 'usernick');
    const whois = await ask(user, 'WHOIS botnick');
    expect(whois.filter((line) => / 335 /.test(line))).toEqual([':test.server 335 usernick botnick :is a bot']);
    expect(await ask(user, 'WHO #chan', 'WHO botnick %nf')).toEqual([
      ':test.server 352 usernick #chan botnick 127.0.0.1 test.server botnick HB@ :0 botnick Real',
      ':test.server 315 usernick #chan :End of WHO list',
      ':test.server 354 usernick botnick :HB',
      ':test.server 315 usernick botnick :End of WHO list',
    ]);
    expect(await ask(bot, 'MODE botnick -B')).toEqual([':botnick!botnick@127.0.0.1 MODE botnick -B']);
    expect((await ask(user, 'WHOIS botnick')).filter((line) => / 335 /.test(line))).toEqual([]);
  });
});
