import { describe, expect, it } from 'vitest';
import { ISUPPORT_LINES } from '../src/protocol/isupport.js';
import { exchange, received, unthrottledServer } from './exchange.js';
import { joinedClients, RawClient } from './helpers.js';

describe('004 and 005', () => {
  it('advertise the modes and limits the server has, at most 13 tokens per 005 line', async () => {
    const { port } = await unthrottledServer();
    const client = await RawClient.connect(port);
    client.send('NICK alice', 'USER alice 0 * :Alice');
    await client.next(/ 003 /);
    expect(await client.collectUntil((line) => line.includes(' NETWORK='))).toEqual([
      ':test.server 004 alice test.server test-1 Biow CIbeiklmnostv Ibeklov',
      ':test.server 005 alice CASEMAPPING=ascii CHANTYPES=#& PREFIX=(ov)@+ CHANMODES=beI,k,l,Cimnst MODES=6 ' +
        'STATUSMSG=@+ EXCEPTS=e INVEX=I MAXLIST=b:100,e:100,I:100 CHANLIMIT=#:50,&:50 NICKLEN=30 CHANNELLEN=50 ' +
        'TOPICLEN=390 :are supported by this server',
      ':test.server 005 alice KICKLEN=390 AWAYLEN=200 NAMELEN=100 KEYLEN=23 ' +
        'TARGMAX=KICK:4,NOTICE:4,PRIVMSG:4,TAGMSG:4,WHOWAS:4 MAXTARGETS=4 ELIST=CMNTU WHOX BOT=B NETWORK=quartet ' +
        'CHATHISTORY=100 MSGREFTYPES=msgid,timestamp :are supported by this server',
    ]);
    expect(ISUPPORT_LINES.map((tokens) => tokens.length <= 13)).toEqual(ISUPPORT_LINES.map(() => true));
  });
});

describe('limits as advertised', () => {
  it('TOPICLEN=390: a longer topic is cut to 390 bytes, never inside a character', async () => {
    const { port } = await unthrottledServer();
    const [op] = await joinedClients(port, '#c', 'op');
    expect(await exchange(op, `TOPIC #c :${'t'.repeat(400)}`)).toEqual([
      `:op!op@127.0.0.1 TOPIC #c :${'t'.repeat(390)}`,
    ]);
    expect(await exchange(op, `TOPIC #c :a${'é'.repeat(200)}`)).toEqual([
      `:op!op@127.0.0.1 TOPIC #c :a${'é'.repeat(194)}`,
    ]);
  });

  it('KICKLEN=390: a longer reason is cut to 390 bytes', async () => {
    const { port } = await unthrottledServer();
    const [op] = await joinedClients(port, '#c', 'op', 'bob');
    expect(await exchange(op, `KICK #c bob :${'r'.repeat(400)}`)).toEqual([
      `:op!op@127.0.0.1 KICK #c bob :${'r'.repeat(390)}`,
    ]);
  });

  it('AWAYLEN=200: a longer away message is cut to 200 bytes', async () => {
    const { port } = await unthrottledServer();
    const alice = await RawClient.register(port, 'alice');
    const bob = await RawClient.register(port, 'bob');
    await exchange(bob, `AWAY :${'w'.repeat(250)}`);
    expect(await exchange(alice, 'PRIVMSG bob :there?')).toEqual([`:test.server 301 alice bob :${'w'.repeat(200)}`]);
    await exchange(bob, `AWAY :${'ü'.repeat(150)}`);
    expect(await exchange(alice, 'PRIVMSG bob :there?')).toEqual([`:test.server 301 alice bob :${'ü'.repeat(100)}`]);
  });

  it('CHANNELLEN=50 and NICKLEN=30: one more is refused (403, 432)', async () => {
    const { port } = await unthrottledServer();
    const alice = await RawClient.register(port, 'alice');
    expect((await exchange(alice, `JOIN #${'a'.repeat(49)}`))[0]).toBe(
      `:alice!alice@127.0.0.1 JOIN #${'a'.repeat(49)}`,
    );
    expect(await exchange(alice, `JOIN #${'b'.repeat(50)}`)).toEqual([
      `:test.server 403 alice #${'b'.repeat(50)} :No such channel`,
    ]);
    expect(await exchange(alice, `NICK ${'n'.repeat(31)}`)).toEqual([
      `:test.server 432 alice ${'n'.repeat(31)} :Erroneous nickname`,
    ]);
    expect(await exchange(alice, `NICK ${'n'.repeat(30)}`)).toEqual([`:alice!alice@127.0.0.1 NICK ${'n'.repeat(30)}`]);
  });

  it('TARGMAX PRIVMSG:4 and NOTICE:4: a fifth target is dropped', async () => {
    const { port } = await unthrottledServer();
    const sender = await RawClient.register(port, 'sender');
    const targets = await Promise.all(['t1', 't2', 't3', 't4', 't5'].map((nick) => RawClient.register(port, nick)));
    expect(await exchange(sender, 'PRIVMSG t1,t2,t3,t4,t5 :hi', 'NOTICE t1,t2,t3,t4,t5 :fyi')).toEqual([]);
    expect(await Promise.all(targets.map((target) => received(target)))).toEqual([
      [':sender!sender@127.0.0.1 PRIVMSG t1 :hi', ':sender!sender@127.0.0.1 NOTICE t1 :fyi'],
      [':sender!sender@127.0.0.1 PRIVMSG t2 :hi', ':sender!sender@127.0.0.1 NOTICE t2 :fyi'],
      [':sender!sender@127.0.0.1 PRIVMSG t3 :hi', ':sender!sender@127.0.0.1 NOTICE t3 :fyi'],
      [':sender!sender@127.0.0.1 PRIVMSG t4 :hi', ':sender!sender@127.0.0.1 NOTICE t4 :fyi'],
      [],
    ]);
  });

  it('TARGMAX KICK:4: several users from one channel, or channel and user pairs, one KICK line each', async () => {
    const { port } = await unthrottledServer();
    const [op] = await joinedClients(port, '#a', 'op', 'u1', 'u2', 'u3', 'u4', 'u5');
    await joinedClients(port, '#b', 'op2');
    await exchange(op, 'JOIN #b');
    expect(await exchange(op, 'KICK #a u1,u2,u3,u4,u5 :out')).toEqual([
      ':op!op@127.0.0.1 KICK #a u1 :out',
      ':op!op@127.0.0.1 KICK #a u2 :out',
      ':op!op@127.0.0.1 KICK #a u3 :out',
      ':op!op@127.0.0.1 KICK #a u4 :out',
    ]);
    expect(await exchange(op, 'KICK #a,#b u5,op2 :pairs', 'KICK #a,#b u5 :uneven')).toEqual([
      ':op!op@127.0.0.1 KICK #a u5 :pairs',
      ":test.server 482 op #b :You're not channel operator",
      ':test.server 461 op KICK :Not enough parameters',
    ]);
  });
});
