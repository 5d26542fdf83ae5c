import { describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../src/timing/clock.js';
import { RawClient, startServer } from './helpers.js';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);
const fixedClock: Clock = { ...systemClock, now: () => T0 };

/** Send a line, then a PING: every reply to the line, up to the PONG (left out). */
async function ask(client: RawClient, line: string): Promise<string[]> {
  client.send(line, 'PING done');
  return (await client.collectUntil(/^:\S+ PONG /)).slice(0, -1);
}

describe('TIME, INFO, VERSION and MOTD', () => {
  it('TIME answers 391 with the server name and the time', async () => {
    const { port } = await startServer({ clock: fixedClock });
    const alice = await RawClient.register(port, 'alice');
    expect(await ask(alice, 'TIME')).toEqual([':test.server 391 alice test.server :Fri, 02 Jan 2026 03:04:05 GMT']);
    expect(await ask(alice, 'TIME TEST.server')).toEqual([
      ':test.server 391 alice test.server :Fri, 02 Jan 2026 03:04:05 GMT',
    ]);
  });

  it('INFO answers 371 lines and 374', async () => {
    const { port } = await startServer();
    const alice = await RawClient.register(port, 'alice');
    expect(await ask(alice, 'INFO')).toEqual([
      ':test.server 371 alice :test.server runs test-1, the quartet chat server.',
      ':test.server 371 alice :It speaks the IRC client protocol (RFC 1459, RFC 2812, Modern IRC, some IRCv3)',
      ':test.server 371 alice :to IRC clients, and plain text to people on nc or telnet.',
      ':test.server 371 alice :Started Thu, 01 Jan 1970 00:00:00 GMT.',
      ':test.server 374 alice :End of INFO list',
    ]);
  });

  it('VERSION answers 351', async () => {
    const { port } = await startServer();
    const alice = await RawClient.register(port, 'alice');
    expect(await ask(alice, 'VERSION')).toEqual([':test.server 351 alice test-1 test.server :quartet chat']);
  });

  it('answers for its own name or a nick on it, and 402 for any other server', async () => {
    const { port } = await startServer({ motd: ['Be kind.'] });
    const alice = await RawClient.register(port, 'alice');
    for (const command of ['TIME', 'INFO', 'VERSION', 'MOTD']) {
      expect(await ask(alice, `${command} elsewhere.example`)).toEqual([
        ':test.server 402 alice elsewhere.example :No such server',
      ]);
    }
    expect(await ask(alice, 'MOTD alice')).toEqual([
      ':test.server 375 alice :- test.server Message of the day - ',
      ':test.server 372 alice :- Be kind.',
      ':test.server 376 alice :End of /MOTD command.',
    ]);
  });
});

describe('HELP', () => {
  it('explains a command with 704, 705 and 706, whatever its case', async () => {
    const { port } = await startServer();
    const alice = await RawClient.register(port, 'alice');
    const expected = [
      ':test.server 704 alice privmsg :PRIVMSG <target>[,target...] :<text>',
      ':test.server 705 alice privmsg :Send a message to channels or nicks.',
      ':test.server 706 alice privmsg :End of /HELP',
    ];
    expect(await ask(alice, 'HELP privmsg')).toEqual(expected);
    expect(await ask(alice, 'HELPOP privmsg')).toEqual(expected);
  });

  it('lists the commands without a subject', async () => {
    const { port } = await startServer();
    const alice = await RawClient.register(port, 'alice');
    const lines = await ask(alice, 'HELP');
    expect(lines[0]).toBe(':test.server 704 alice * :Commands (HELP <command> for one of them):');
    expect(lines.at(-1)).toBe(':test.server 706 alice * :End of /HELP');
    expect(lines.slice(1, -1).every((line) => line.startsWith(':test.server 705 alice * :'))).toBe(true);
    expect(lines.join(' ')).toContain(' WHOWAS');
  });

  it('answers 524 for an unknown subject', async () => {
    const { port } = await startServer();
    const alice = await RawClient.register(port, 'alice');
    expect(await ask(alice, 'HELP NOSUCHTHING')).toEqual([
      ':test.server 524 alice NOSUCHTHING :No help available on this topic',
    ]);
  });
});
