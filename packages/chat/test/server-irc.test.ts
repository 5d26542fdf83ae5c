import { describe, expect, it } from 'vitest';
import { hasher, joinedClients, RawClient, startServer } from './helpers.js';

describe('registration', () => {
  it('answers CAP, then sends 001–005, 251–255, 265, 266 and 422 once NICK, USER and CAP END are in', async () => {
    const { port } = await startServer();
    const client = await RawClient.connect(port);
    client.send('CAP LS 302', 'NICK alice', 'USER al 0 * :Alice Liddell');
    await client.next(
      ':test.server CAP * LS :account-notify account-tag away-notify batch cap-notify chghost draft/account-registration=custom-account-name draft/chathistory echo-message extended-join invite-notify labeled-response message-tags multi-prefix sasl=PLAIN server-time setname userhost-in-names',
    );
    await client.sync();
    // Registration waits for CAP END.
    expect(client.unread().filter((l) => / 001 /.test(l))).toEqual([]);
    client.send('CAP REQ :no-such-cap', 'CAP END');
    await client.next(':test.server CAP alice NAK :no-such-cap');
    const burst = await client.collectUntil(/ 422 /);
    expect(burst).toEqual([
      ':test.server 001 alice :Welcome to the quartet IRC Network alice!al@127.0.0.1',
      ':test.server 002 alice :Your host is test.server, running version test-1',
      ':test.server 003 alice :This server was created Thu, 01 Jan 1970 00:00:00 GMT',
      ':test.server 004 alice test.server test-1 Biow CIbeiklmnostv Ibeklov',
      ':test.server 005 alice CASEMAPPING=ascii CHANTYPES=#& PREFIX=(ov)@+ CHANMODES=beI,k,l,Cimnst MODES=6 STATUSMSG=@+ EXCEPTS=e INVEX=I MAXLIST=b:100,e:100,I:100 CHANLIMIT=#:50,&:50 NICKLEN=30 CHANNELLEN=50 TOPICLEN=390 :are supported by this server',
      ':test.server 005 alice KICKLEN=390 AWAYLEN=200 NAMELEN=100 KEYLEN=23 TARGMAX=KICK:4,NOTICE:4,PRIVMSG:4,TAGMSG:4,WHOWAS:4 MAXTARGETS=4 ELIST=CMNTU WHOX BOT=B NETWORK=quartet CHATHISTORY=100 MSGREFTYPES=msgid,timestamp :are supported by this server',
      ':test.server 251 alice :There are 1 users and 0 invisible on 1 servers',
      ':test.server 252 alice 0 :operator(s) online',
      ':test.server 253 alice 0 :unknown connection(s)',
      ':test.server 254 alice 0 :channels formed',
      ':test.server 255 alice :I have 1 clients and 0 servers',
      ':test.server 265 alice 1 1 :Current local users 1, max 1',
      ':test.server 266 alice 1 1 :Current global users 1, max 1',
      ':test.server 422 alice :MOTD File is missing',
    ]);
  });

  it('sends the MOTD as 375/372/376 when there is one', async () => {
    const { port } = await startServer({ motd: ['Be kind.', 'No spam.'] });
    const client = await RawClient.connect(port);
    client.send('NICK bob', 'USER bob 0 * :Bob');
    await client.next(/ 266 /);
    expect(await client.collectUntil(/ 376 /)).toEqual([
      ':test.server 375 bob :- test.server Message of the day - ',
      ':test.server 372 bob :- Be kind.',
      ':test.server 372 bob :- No spam.',
      ':test.server 376 bob :End of /MOTD command.',
    ]);
  });

  it('refuses a taken nick regardless of case with 433, and the client may pick another', async () => {
    const { port } = await startServer();
    await RawClient.register(port, 'Alice');
    const second = await RawClient.connect(port);
    second.send('NICK aLICE', 'USER x 0 * :X');
    await second.next(':test.server 433 * aLICE :Nickname is already in use');
    second.send('NICK alice2');
    await second.next(':test.server 001 alice2 :Welcome to the quartet IRC Network alice2!x@127.0.0.1');
  });

  it('rejects bad nicks and early or repeated commands with the right numerics', async () => {
    const { port } = await startServer();
    const client = await RawClient.connect(port);
    client.send('NICK', 'NICK 1abc', `NICK ${'a'.repeat(31)}`, 'JOIN #x', 'USER onlythree 0 *');
    await client.next(':test.server 431 * :No nickname given');
    await client.next(':test.server 432 * 1abc :Erroneous nickname');
    await client.next(`:test.server 432 * ${'a'.repeat(31)} :Erroneous nickname`);
    await client.next(':test.server 451 * :You have not registered');
    await client.next(':test.server 461 * USER :Not enough parameters');
    client.send(`NICK ${'a'.repeat(30)}`, 'USER u 0 * :U');
    await client.next(/ 422 /);
    client.send('USER u 0 * :U', 'PASS secret', 'FROB x');
    const nick = 'a'.repeat(30);
    await client.next(`:test.server 462 ${nick} :You may not reregister`);
    await client.next(`:test.server 462 ${nick} :You may not reregister`);
    await client.next(`:test.server 421 ${nick} FROB :Unknown command`);
  });
});

describe('channels and messages', () => {
  it('shows JOIN, names with the creator as operator, PART and QUIT with reasons to the channel', async () => {
    const { port } = await startServer();
    const alice = await RawClient.register(port, 'alice');
    alice.send('JOIN #Room');
    await alice.next(':alice!alice@127.0.0.1 JOIN #Room');
    await alice.next(':test.server 353 alice = #Room :@alice');
    await alice.next(':test.server 366 alice #Room :End of /NAMES list');
    const bob = await RawClient.register(port, 'bob');
    bob.send('JOIN #room');
    await alice.next(':bob!bob@127.0.0.1 JOIN #Room');
    await bob.next(':test.server 353 bob = #Room :@alice bob');
    bob.send('PART #ROOM :see you');
    await alice.next(':bob!bob@127.0.0.1 PART #Room :see you');
    await bob.next(':bob!bob@127.0.0.1 PART #Room :see you');
    bob.send('JOIN #room');
    await alice.next(':bob!bob@127.0.0.1 JOIN #Room');
    bob.send('QUIT :gone fishing');
    await bob.next('ERROR :Closing Link: 127.0.0.1 (Quit: gone fishing)');
    await alice.next(':bob!bob@127.0.0.1 QUIT :Quit: gone fishing');
    await bob.closed;
  });

  it('delivers channel messages to the other members and private messages to one nick', async () => {
    const { port } = await startServer();
    const [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((n) => RawClient.register(port, n)));
    for (const c of [alice!, bob!]) await c.join('#a');
    alice!.send('PRIVMSG #a :hello room', 'PRIVMSG Carol :psst', 'NOTICE bob :fyi');
    await bob!.next(':alice!alice@127.0.0.1 PRIVMSG #a :hello room');
    await carol!.next(':alice!alice@127.0.0.1 PRIVMSG carol :psst');
    await bob!.next(':alice!alice@127.0.0.1 NOTICE bob :fyi');
    await alice!.sync();
    await carol!.sync();
    // Not echoed to the sender; not seen by non-members.
    expect(alice!.lines.filter((l) => l.includes('hello room'))).toEqual([]);
    expect(carol!.lines.filter((l) => l.includes('hello room'))).toEqual([]);
  });

  it('answers message errors: 401, 403, 404, 411, 412; NOTICE gets none', async () => {
    const { port } = await startServer();
    const alice = await RawClient.register(port, 'alice');
    const bob = await RawClient.register(port, 'bob');
    await bob.join('#b');
    alice.send(
      'PRIVMSG nobody :x',
      'PRIVMSG #nowhere :x',
      'PRIVMSG #b :x',
      'PRIVMSG',
      'PRIVMSG bob',
      'NOTICE nobody :x',
    );
    await alice.next(':test.server 401 alice nobody :No such nick/channel');
    await alice.next(':test.server 403 alice #nowhere :No such channel');
    await alice.next(':test.server 404 alice #b :Cannot send to channel');
    await alice.next(':test.server 411 alice :No recipient given (PRIVMSG)');
    await alice.next(':test.server 412 alice :No text to send');
    await alice.sync();
    expect(alice.unread()).toEqual([]);
  });

  it('announces a nick change once to everyone sharing a channel', async () => {
    const { port } = await startServer();
    const alice = await RawClient.register(port, 'alice');
    const bob = await RawClient.register(port, 'bob');
    for (const channel of ['#one', '#two']) {
      for (const c of [alice, bob]) await c.join(channel);
    }
    alice.send('NICK Alicia');
    await alice.next(':alice!alice@127.0.0.1 NICK Alicia');
    await bob.next(':alice!alice@127.0.0.1 NICK Alicia');
    await bob.sync();
    expect(bob.lines.filter((l) => l.includes(' NICK '))).toHaveLength(1);
    bob.send('NICK alicia');
    await bob.next(':test.server 433 bob alicia :Nickname is already in use');
  });

  it('lets only channel operators KICK, with 482, 441 and 442 otherwise', async () => {
    const { port } = await startServer();
    const [op, bob] = await joinedClients(port, '#c', 'op', 'bob');
    const eve = await RawClient.register(port, 'eve');
    bob.send('KICK #c op :mutiny');
    await bob.next(":test.server 482 bob #c :You're not channel operator");
    eve.send('KICK #c bob');
    await eve.next(":test.server 442 eve #c :You're not on that channel");
    op.send('KICK #c eve', 'KICK #c bob :behave');
    await op.next(":test.server 441 op eve #c :They aren't on that channel");
    await op.next(':op!op@127.0.0.1 KICK #c bob :behave');
    await bob.next(':op!op@127.0.0.1 KICK #c bob :behave');
    // Kicked from the channel, not from the server.
    bob.send('PRIVMSG #c :still here?');
    await bob.next(':test.server 404 bob #c :Cannot send to channel');
  });

  it('lets operators give +o and set +b; a banned user cannot join', async () => {
    const { port } = await startServer();
    const [op, bob] = await joinedClients(port, '#c', 'op', 'bob');
    const eve = await RawClient.register(port, 'eve');
    bob.send('MODE #c +o bob');
    await bob.next(":test.server 482 bob #c :You're not channel operator");
    op.send('MODE #c +o bob');
    await bob.next(':op!op@127.0.0.1 MODE #c +o bob');
    bob.send('MODE #c +b eve', 'MODE #c', 'MODE #c b');
    await op.next(':bob!bob@127.0.0.1 MODE #c +b eve!*@*');
    await bob.next(/^:test\.server 324 bob #c \+nt$/);
    await bob.next(/^:test\.server 329 bob #c \d+$/);
    await bob.next(/^:test\.server 367 bob #c eve!\*@\* bob \d+$/);
    await bob.next(':test.server 368 bob #c :End of channel ban list');
    eve.send('JOIN #c');
    await eve.next(':test.server 474 eve #c :Cannot join channel (+b)');
    op.send('MODE #c -b eve!*@*', 'MODE #c +x');
    await op.next(':op!op@127.0.0.1 MODE #c -b eve!*@*');
    await op.next(':test.server 472 op x :is unknown mode char to me');
    eve.send('JOIN #c');
    await eve.next(':eve!eve@127.0.0.1 JOIN #c');
    // A ban list is sent once however often `b` is repeated.
    eve.send('MODE #c bbbb');
    await eve.next(':test.server 368 eve #c :End of channel ban list');
    await eve.sync();
    expect(eve.lines.filter((l) => / 368 /.test(l))).toHaveLength(1);
  });

  it('limits a connection to 50 channels (405)', async () => {
    const { port } = await startServer();
    const alice = await RawClient.register(port, 'alice');
    alice.send(`JOIN ${Array.from({ length: 51 }, (_, i) => `#c${i}`).join(',')}`);
    await alice.next(':test.server 405 alice #c50 :You have joined too many channels');
    await alice.sync();
    expect(alice.lines.filter((l) => / JOIN /.test(l))).toHaveLength(50);
  });

  it('answers TOPIC, NAMES, WHO, WHOIS, LIST, AWAY, LUSERS and user MODE', async () => {
    const { port } = await startServer();
    const alice = await RawClient.register(port, 'alice');
    const bob = await RawClient.register(port, 'bob');
    await alice.join('#t');
    await bob.join('#t');
    bob.send('TOPIC #t :mine');
    await bob.next(":test.server 482 bob #t :You're not channel operator");
    alice.send('TOPIC #t :Today: tests');
    await bob.next(':alice!alice@127.0.0.1 TOPIC #t :Today: tests');
    bob.send('TOPIC #t', 'AWAY :lunch', 'WHO #t', 'NAMES #t', 'LIST');
    await bob.next(':test.server 332 bob #t :Today: tests');
    await bob.next(/^:test\.server 333 bob #t alice!alice@127\.0\.0\.1 \d+$/);
    await bob.next(':test.server 306 bob :You have been marked as being away');
    expect(await bob.collectUntil(/ 315 /)).toEqual([
      ':test.server 352 bob #t alice 127.0.0.1 test.server alice H@ :0 alice Real',
      ':test.server 352 bob #t bob 127.0.0.1 test.server bob G :0 bob Real',
      ':test.server 315 bob #t :End of WHO list',
    ]);
    await bob.next(':test.server 353 bob = #t :@alice bob');
    expect(await bob.collectUntil(/ 323 /)).toEqual([
      ':test.server 366 bob #t :End of /NAMES list',
      ':test.server 321 bob Channel :Users  Name',
      ':test.server 322 bob #t 2 :Today: tests',
      ':test.server 323 bob :End of /LIST',
    ]);
    alice.send('PRIVMSG bob :there?', 'WHOIS bob');
    await alice.next(':test.server 301 alice bob :lunch');
    expect(await alice.collectUntil(/ 318 /)).toEqual([
      ':test.server 311 alice bob bob 127.0.0.1 * :bob Real',
      ':test.server 319 alice bob :#t',
      ':test.server 312 alice bob test.server :quartet chat',
      ':test.server 301 alice bob :lunch',
      expect.stringMatching(/^:test\.server 317 alice bob \d+ \d+ :seconds idle, signon time$/),
      ':test.server 318 alice bob :End of /WHOIS list',
    ]);
    alice.send('WHOIS ghost', 'MODE alice', 'MODE alice +i', 'MODE bob +i', 'LUSERS');
    await alice.next(':test.server 401 alice ghost :No such nick/channel');
    await alice.next(':test.server 318 alice ghost :End of /WHOIS list');
    await alice.next(':test.server 221 alice +');
    await alice.next(':alice!alice@127.0.0.1 MODE alice +i');
    await alice.next(":test.server 502 alice :Can't change mode for other users");
    await alice.next(':test.server 251 alice :There are 1 users and 1 invisible on 1 servers');
  });
});

describe('operators', () => {
  it('grants OPER with the right password (381), refuses a wrong one (464), and only opers may KILL', async () => {
    const { port, logs } = await startServer({ opers: { root: await hasher.hash('correct horse') } });
    const admin = await RawClient.register(port, 'admin');
    const bob = await RawClient.register(port, 'bob');
    const carol = await RawClient.register(port, 'carol');
    for (const c of [bob, carol]) await c.join('#k');
    admin.send('KILL bob :bye');
    await admin.next(":test.server 481 admin :Permission Denied- You're not an IRC operator");
    admin.send('OPER root wrong', 'OPER nobody correct horse', 'OPER root :correct horse');
    await admin.next(':test.server 464 admin :Password incorrect');
    await admin.next(':test.server 464 admin :Password incorrect');
    await admin.next(':test.server 381 admin :You are now an IRC operator');
    await admin.next(':admin!admin@127.0.0.1 MODE admin +o');
    admin.send('KILL ghost :x', 'KILL bob :spamming');
    await admin.next(':test.server 401 admin ghost :No such nick/channel');
    await bob.next(':admin!admin@127.0.0.1 KILL bob :spamming');
    await bob.next('ERROR :Closing Link: 127.0.0.1 (Killed (admin (spamming)))');
    await bob.closed;
    await carol.next(':bob!bob@127.0.0.1 QUIT :Killed (admin (spamming))');
    // A server operator may KICK in a channel without being in it.
    admin.send('KICK #k carol :out');
    await carol.next(':admin!admin@127.0.0.1 KICK #k carol :out');
    await admin.sync();
    const events = logs().map((l) => [l['event'], l['reason'] ?? l['name'] ?? '']);
    expect(events).toEqual(
      expect.arrayContaining([
        ['oper_failed', 'root'],
        ['oper', 'root'],
        ['kill', 'spamming'],
        ['disconnect', 'Killed (admin (spamming))'],
        ['kick', 'out'],
      ]),
    );
  });
});
