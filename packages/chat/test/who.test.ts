import { describe, expect, it } from 'vitest';
import { hasher, RawClient, startServer } from './helpers.js';

/** Send lines, then a PING: every reply up to the PONG (left out). */
async function ask(client: RawClient, ...lines: string[]): Promise<string[]> {
  client.send(...lines, 'PING done');
  return (await client.collectUntil(/ PONG /)).slice(0, -1);
}

const COOL = (flags: string, channel = '*') =>
  `:test.server 352 other ${channel} cool 127.0.0.1 test.server coolNick ${flags} :0 coolNick Real`;
const OTHER = (flags: string, channel = '*') =>
  `:test.server 352 other ${channel} other 127.0.0.1 test.server other ${flags} :0 other Real`;

/** coolNick (operator of #chan) and other, both in #chan. */
async function setUp(options: Parameters<typeof startServer>[0] = {}) {
  const { port } = await startServer(options);
  const cool = await RawClient.register(port, 'coolNick', 'cool');
  await cool.join('#chan');
  const other = await RawClient.register(port, 'other');
  await other.join('#chan');
  await cool.next(/ JOIN #chan$/);
  return { port, cool, other };
}

describe('WHO', () => {
  it('lists everyone for *, 0 or no mask, with 315 giving the mask as sent', async () => {
    const { other } = await setUp();
    for (const [line, mask] of [
      ['WHO *', '*'],
      ['WHO 0', '0'],
      ['WHO', '*'],
    ]) {
      expect(await ask(other, line!)).toEqual([
        COOL('H'),
        OTHER('H'),
        `:test.server 315 other ${mask} :End of WHO list`,
      ]);
    }
  });

  it('finds a nick exactly, in any case, or by a mask over nick, username, host and realname', async () => {
    const { other } = await setUp();
    for (const mask of ['coolNick', 'coolnick', 'coolni*', 'COOL*', '*ool', 'c?o*']) {
      expect(await ask(other, `WHO ${mask}`)).toEqual([COOL('H'), `:test.server 315 other ${mask} :End of WHO list`]);
    }
    expect(await ask(other, 'WHO 127.0.0.*')).toEqual([
      COOL('H'),
      OTHER('H'),
      ':test.server 315 other 127.0.0.* :End of WHO list',
    ]);
    expect(await ask(other, 'WHO idontexist')).toEqual([':test.server 315 other idontexist :End of WHO list']);
  });

  it('flags away (G) and operators (*), and channel status in WHO #channel', async () => {
    const { cool, other } = await setUp({ opers: { root: await hasher.hash('correct horse') } });
    expect(await ask(other, 'WHO #CHAN')).toEqual([
      COOL('H@', '#chan'),
      OTHER('H', '#chan'),
      ':test.server 315 other #CHAN :End of WHO list',
    ]);
    cool.send('AWAY :be right back', 'OPER root :correct horse');
    await cool.next(/ 381 /);
    expect(await ask(other, 'WHO coolNick', 'WHO #chan')).toEqual([
      COOL('G*'),
      ':test.server 315 other coolNick :End of WHO list',
      COOL('G*@', '#chan'),
      OTHER('H', '#chan'),
      ':test.server 315 other #chan :End of WHO list',
    ]);
    expect(await ask(other, 'WHO * o')).toEqual([COOL('G*'), ':test.server 315 other * :End of WHO list']);
    expect(await ask(other, 'WHO #nowhere')).toEqual([':test.server 315 other #nowhere :End of WHO list']);
  });

  it('hides invisible users from masks and channels unless a channel is shared; a nick always finds them', async () => {
    const { port } = await startServer();
    const evan = await RawClient.register(port, 'evan');
    evan.send('MODE evan +i');
    await evan.next(':evan!evan@127.0.0.1 MODE evan +i');
    await evan.join('#test');
    const shiv = await RawClient.register(port, 'shiv');
    const evanLine = (channel: string, flags: string) =>
      `:test.server 352 shiv ${channel} evan 127.0.0.1 test.server evan ${flags} :0 evan Real`;
    expect(await ask(shiv, 'WHO eva*', 'WHO #test', 'WHO evan')).toEqual([
      ':test.server 315 shiv eva* :End of WHO list',
      ':test.server 315 shiv #test :End of WHO list',
      evanLine('*', 'H'),
      ':test.server 315 shiv evan :End of WHO list',
    ]);
    await shiv.join('#test');
    expect(await ask(shiv, 'WHO eva*', 'WHO #test')).toEqual([
      evanLine('*', 'H'),
      ':test.server 315 shiv eva* :End of WHO list',
      evanLine('#test', 'H@'),
      ':test.server 352 shiv #test shiv 127.0.0.1 test.server shiv H :0 shiv Real',
      ':test.server 315 shiv #test :End of WHO list',
    ]);
  });
});

describe('WHOX', () => {
  it('is advertised in 005', async () => {
    const { port } = await startServer();
    const client = await RawClient.connect(port);
    client.send('NICK alice', 'USER alice 0 * :Alice');
    const burst = await client.collectUntil(/ 422 /);
    expect(burst.filter((line) => / 005 /.test(line)).join(' ')).toMatch(/ WHOX /);
  });

  it('answers 354 with the fields asked for, in the standard order whatever the order asked', async () => {
    const { cool, other } = await setUp();
    cool.send('PRIVMSG #chan :hi');
    await other.next(/PRIVMSG #chan :hi$/);
    const full =
      ':test.server 354 other 123 * cool 127.0.0.1 127.0.0.1 test.server coolNick H 0 0 0 n/a :coolNick Real';
    const end = ':test.server 315 other coolNick :End of WHO list';
    expect(await ask(other, 'WHO coolNick %tcuihsnfdlaor,123')).toEqual([full, end]);
    expect(await ask(other, 'WHO coolNick %roaldfnshiuct,123')).toEqual([full, end]);
    expect(await ask(other, 'WHO coolNick %tn,321')).toEqual([':test.server 354 other 321 :coolNick', end]);
    expect(await ask(other, 'WHO #chan %cnf')).toEqual([
      ':test.server 354 other #chan coolNick :H@',
      ':test.server 354 other #chan other :H',
      ':test.server 315 other #chan :End of WHO list',
    ]);
  });
});
