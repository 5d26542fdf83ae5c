import { describe, expect, it } from 'vitest';
import { hasher, RawClient, startServer } from './helpers.js';

/** A person on nc: lines without CR are fine, output is readable text. */
async function plain(port: number, nick: string): Promise<RawClient> {
  const client = await RawClient.connect(port);
  client.socket.write(`${nick}\n`);
  await client.next(/\* Users on #lobby: /);
  return client;
}

const stamp = (line: string) => line.replace(/^\[\d\d:\d\d\] /, '');

describe('plain mode', () => {
  it('takes the first line as the nick, joins #lobby and talks with IRC users both ways', async () => {
    const { port } = await startServer();
    const irc = await RawClient.register(port, 'ircuser');
    await irc.join('#lobby');
    const bob = await RawClient.connect(port);
    bob.socket.write('bob\n');
    await bob.next(/^\[\d\d:\d\d\] Welcome to the quartet IRC Network bob!bob@127\.0\.0\.1$/);
    await bob.next('Type a message and press Enter to talk; /help lists the commands.');
    const joined = await bob.next(/has joined/);
    expect(joined).toMatch(/^\[\d\d:\d\d\] \* bob has joined #lobby$/);
    expect(stamp(await bob.next(/Users on/))).toBe('* Users on #lobby: @ircuser bob');
    await irc.next(':bob!bob@127.0.0.1 JOIN #lobby');

    bob.socket.write('hello from nc\n');
    await irc.next(':bob!bob@127.0.0.1 PRIVMSG #lobby :hello from nc');
    irc.send(
      'PRIVMSG #lobby :hi bob',
      'PRIVMSG #lobby :\x01ACTION waves\x01',
      'PRIVMSG bob :secret',
      'NOTICE bob :note',
    );
    expect(stamp(await bob.next(/hi bob/))).toBe('<ircuser> hi bob');
    expect(stamp(await bob.next(/waves/))).toBe('* ircuser waves');
    expect(stamp(await bob.next(/secret/))).toBe('*ircuser* secret');
    expect(stamp(await bob.next(/note/))).toBe('-ircuser- note');

    bob.socket.write('/me nods\n/msg ircuser psst\n/join #side\n/nick bobby\n');
    await irc.next(':bob!bob@127.0.0.1 PRIVMSG #lobby :\x01ACTION nods\x01');
    await irc.next(':bob!bob@127.0.0.1 PRIVMSG ircuser :psst');
    expect(stamp(await bob.next(/#side/))).toBe('* bob has joined #side');
    await irc.next(':bob!bob@127.0.0.1 NICK bobby');
    // Messages from a channel other than the current one (#side now) name it.
    irc.send('PRIVMSG #lobby :where are you');
    expect(stamp(await bob.next(/where are you/))).toBe('#lobby <ircuser> where are you');
    bob.socket.write('/part\nback in the lobby\n/quit off now\n');
    expect(stamp(await bob.next(/has left/))).toBe('* bobby has left #side');
    await irc.next(':bobby!bob@127.0.0.1 PRIVMSG #lobby :back in the lobby');
    await irc.next(':bobby!bob@127.0.0.1 QUIT :Quit: off now');
    expect(stamp(await bob.next(/Closing/))).toBe('! Closing Link: 127.0.0.1 (Quit: off now)');
    await bob.closed;
  });

  it('gives a readable message and another try when the nick is taken or invalid', async () => {
    const { port } = await startServer();
    await RawClient.register(port, 'alice');
    const client = await RawClient.connect(port);
    client.socket.write('ALICE\n');
    await client.next('! The nickname ALICE is taken. Try another:');
    client.socket.write('two words\n');
    await client.next(/^! "two words" is not a valid nickname: .* Try another:$/);
    client.socket.write('alice2\n');
    await client.next(/\* alice2 has joined #lobby$/);
  });

  it('answers /help, unknown commands and /who, /names with readable text', async () => {
    const { port } = await startServer();
    const bob = await plain(port, 'bob');
    bob.socket.write('/help\n/frob\n/who\n/names\n/msg\n');
    await bob.next('/join #room          join a room and make it current');
    await bob.next('! Unknown command /frob; /help lists the commands');
    expect(stamp(await bob.next(/bob@127/))).toBe('* #lobby  bob  bob@127.0.0.1  H@  bob');
    expect(stamp(await bob.next(/Users on/))).toBe('* Users on #lobby: @bob');
    await bob.next('! Usage: /msg nick text');
  });

  it('lets an operator /kick a user off the server (KILL), and a channel operator out of the room', async () => {
    const { port } = await startServer({ opers: { boss: await hasher.hash('hunter2') } });
    const chanop = await plain(port, 'first');
    const boss = await plain(port, 'boss');
    const victim = await RawClient.register(port, 'victim');
    await victim.join('#lobby');
    chanop.socket.write('/kick victim be nice\n');
    await victim.next(':first!first@127.0.0.1 KICK #lobby victim :be nice');
    expect(stamp(await boss.next(/was kicked/))).toBe('* victim was kicked from #lobby by first (be nice)');
    await victim.join('#lobby');
    // Not yet an operator, and not a channel operator: the channel KICK is refused.
    boss.socket.write('/kick victim too early\n');
    expect(stamp(await boss.next(/channel operator/))).toBe("! #lobby: You're not channel operator");
    boss.socket.write('/oper boss hunter2\n/kick victim spam\n');
    expect(stamp(await boss.next(/operator/))).toBe('You are now an IRC operator');
    await victim.next(':boss!boss@127.0.0.1 KILL victim :spam');
    await victim.next('ERROR :Closing Link: 127.0.0.1 (Killed (boss (spam)))');
    expect(stamp(await chanop.next(/victim has quit/))).toBe('* victim has quit (Killed (boss (spam)))');
  });
});
