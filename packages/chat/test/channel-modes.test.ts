import { describe, expect, it } from 'vitest';
import { exchange, received, unthrottledServer } from './exchange.js';
import { joinedClients, RawClient } from './helpers.js';

describe('MODE #chan: querying and changing', () => {
  it('answers 324 and 329; a new channel is +nt; the key is shown to members only', async () => {
    const { port } = await unthrottledServer();
    const [op] = await joinedClients(port, '#c', 'op');
    const eve = await RawClient.register(port, 'eve');
    expect(await exchange(op, 'MODE #c')).toEqual([
      ':test.server 324 op #c +nt',
      expect.stringMatching(/^:test\.server 329 op #c \d+$/),
    ]);
    expect(await exchange(op, 'MODE #c +imslk 5 sesame')).toEqual([':op!op@127.0.0.1 MODE #c +imslk 5 sesame']);
    expect((await exchange(op, 'MODE #c'))[0]).toBe(':test.server 324 op #c +imnstlk 5 sesame');
    expect((await exchange(eve, 'MODE #c'))[0]).toBe(':test.server 324 eve #c +imnstlk 5');
    expect(await exchange(op, 'MODE #c -imnstlk *')).toEqual([':op!op@127.0.0.1 MODE #c -imnstlk *']);
    expect((await exchange(op, 'MODE #c'))[0]).toBe(':test.server 324 op #c +');
  });

  it('announces applied changes only, as one line to the whole channel, and 472 for unknown letters', async () => {
    const { port } = await unthrottledServer();
    const [op, bob] = await joinedClients(port, '#c', 'op', 'bob');
    // +n and +t are already on, +x is unknown, -m was not set: only +v bob and +i change anything.
    expect(await exchange(op, 'MODE #c +ntxv-m+i bob')).toEqual([
      ':test.server 472 op x :is unknown mode char to me',
      ':op!op@127.0.0.1 MODE #c +vi bob',
    ]);
    expect(await received(bob)).toEqual([':op!op@127.0.0.1 MODE #c +vi bob']);
    // Nothing changes: nothing is announced.
    expect(await exchange(op, 'MODE #c +int')).toEqual([]);
    expect(await received(bob)).toEqual([]);
  });

  it('applies at most MODES=6 changes with a parameter per command', async () => {
    const { port } = await unthrottledServer();
    const [op, ...others] = await joinedClients(port, '#c', 'op', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7');
    expect(others).toHaveLength(7);
    expect(await exchange(op, 'MODE #c +vvvvvvvm u1 u2 u3 u4 u5 u6 u7')).toEqual([
      ':op!op@127.0.0.1 MODE #c +vvvvvvm u1 u2 u3 u4 u5 u6',
    ]);
  });

  it('refuses a non-operator with exactly one 482 and changes nothing; lists stay readable', async () => {
    const { port } = await unthrottledServer();
    const [op, bob] = await joinedClients(port, '#c', 'op', 'bob');
    const eve = await RawClient.register(port, 'eve');
    await op.sync();
    expect(await exchange(bob, 'MODE #c +o-t+x bob')).toEqual([":test.server 482 bob #c :You're not channel operator"]);
    expect(await exchange(eve, 'MODE #c +m')).toEqual([":test.server 482 eve #c :You're not channel operator"]);
    expect(await received(op)).toEqual([]);
    expect(await exchange(bob, 'MODE #c b')).toEqual([':test.server 368 bob #c :End of channel ban list']);
    expect((await exchange(op, 'MODE #c'))[0]).toBe(':test.server 324 op #c +nt');
  });

  it('answers 403 for a channel that does not exist, 401 for a nick that does not, 441 for a non-member', async () => {
    const { port } = await unthrottledServer();
    const [op] = await joinedClients(port, '#c', 'op');
    const eve = await RawClient.register(port, 'eve');
    expect(await exchange(op, 'MODE #nowhere +o op')).toEqual([':test.server 403 op #nowhere :No such channel']);
    expect(await exchange(op, 'MODE #c +o nobody')).toEqual([':test.server 401 op nobody :No such nick/channel']);
    expect(await exchange(op, 'MODE #c +v eve')).toEqual([":test.server 441 op eve #c :They aren't on that channel"]);
    expect(await received(eve)).toEqual([]);
  });

  it('ignores a mode that lacks its parameter', async () => {
    const { port } = await unthrottledServer();
    const [op] = await joinedClients(port, '#c', 'op');
    expect(await exchange(op, 'MODE #c +o', 'MODE #c +k', 'MODE #c +l', 'MODE #c +v')).toEqual([]);
    expect((await exchange(op, 'MODE #c'))[0]).toBe(':test.server 324 op #c +nt');
  });
});

describe('+o and +v', () => {
  it('shows @ and + in NAMES, takes them away again, and only an operator may set the topic under +t', async () => {
    const { port } = await unthrottledServer();
    const [op, bob, carol] = await joinedClients(port, '#c', 'op', 'bob', 'carol');
    expect(await exchange(op, 'MODE #c +ov bob carol')).toEqual([':op!op@127.0.0.1 MODE #c +ov bob carol']);
    expect(await exchange(carol, 'NAMES #c')).toEqual([
      ':test.server 353 carol = #c :@op @bob +carol',
      ':test.server 366 carol #c :End of /NAMES list',
    ]);
    expect(await exchange(carol, 'TOPIC #c :voiced')).toEqual([
      ":test.server 482 carol #c :You're not channel operator",
    ]);
    expect(await exchange(bob, 'MODE #c -o+v bob bob')).toEqual([':bob!bob@127.0.0.1 MODE #c -o+v bob bob']);
    expect((await exchange(carol, 'NAMES #c'))[0]).toBe(':test.server 353 carol = #c :@op +bob +carol');
  });
});

describe('+t', () => {
  it('lets any member set the topic once -t, and refuses non-members with 442', async () => {
    const { port } = await unthrottledServer();
    const [op, bob] = await joinedClients(port, '#c', 'op', 'bob');
    const eve = await RawClient.register(port, 'eve');
    expect(await exchange(bob, 'TOPIC #c :mine')).toEqual([":test.server 482 bob #c :You're not channel operator"]);
    await exchange(op, 'MODE #c -t');
    expect(await exchange(bob, 'TOPIC #c :mine')).toEqual([':bob!bob@127.0.0.1 TOPIC #c :mine']);
    expect(await exchange(eve, 'TOPIC #c :outsider')).toEqual([":test.server 442 eve #c :You're not on that channel"]);
  });
});

describe('+n and +m', () => {
  it('+n keeps out messages from non-members (404); -n lets them in', async () => {
    const { port } = await unthrottledServer();
    const [op] = await joinedClients(port, '#c', 'op');
    const eve = await RawClient.register(port, 'eve');
    expect(await exchange(eve, 'PRIVMSG #c :from outside')).toEqual([
      ':test.server 404 eve #c :Cannot send to channel',
    ]);
    expect(await exchange(eve, 'NOTICE #c :from outside')).toEqual([]);
    await exchange(op, 'MODE #c -n');
    expect(await exchange(eve, 'PRIVMSG #c :from outside')).toEqual([]);
    expect(await received(op)).toEqual([':eve!eve@127.0.0.1 PRIVMSG #c :from outside']);
  });

  it('+m lets only voiced members and operators speak', async () => {
    const { port } = await unthrottledServer();
    const [op, bob, carol] = await joinedClients(port, '#c', 'op', 'bob', 'carol');
    await exchange(op, 'MODE #c +mv carol');
    await received(bob);
    expect(await exchange(bob, 'PRIVMSG #c :hello?')).toEqual([':test.server 404 bob #c :Cannot send to channel']);
    expect(await exchange(carol, 'PRIVMSG #c :voiced')).toEqual([]);
    expect(await exchange(op, 'PRIVMSG #c :op')).toEqual([]);
    expect(await received(bob)).toEqual([
      ':carol!carol@127.0.0.1 PRIVMSG #c :voiced',
      ':op!op@127.0.0.1 PRIVMSG #c :op',
    ]);
    // Outsiders are not let in by -n while +m holds.
    await exchange(op, 'MODE #c -n');
    const eve = await RawClient.register(port, 'eve');
    expect(await exchange(eve, 'PRIVMSG #c :hi')).toEqual([':test.server 404 eve #c :Cannot send to channel']);
  });
});

describe('+C', () => {
  it('refuses CTCP other than ACTION with 404 (NOTICE silently), as Modern IRC describes +C', async () => {
    const { port } = await unthrottledServer();
    const [op, bob] = await joinedClients(port, '#c', 'op', 'bob');
    expect(await exchange(op, 'MODE #c +C')).toEqual([':op!op@127.0.0.1 MODE #c +C']);
    expect(
      await exchange(
        bob,
        'PRIVMSG #c :\x01ACTION waves\x01',
        'PRIVMSG #c :\x01VERSION\x01',
        'NOTICE #c :\x01PING 1\x01',
      ),
    ).toEqual([':test.server 404 bob #c :Cannot send to channel']);
    expect(await received(op)).toEqual([':bob!bob@127.0.0.1 PRIVMSG #c :\x01ACTION waves\x01']);
    expect((await exchange(op, 'MODE #c'))[0]).toBe(':test.server 324 op #c +Cnt');
  });
});

describe('+b and +e', () => {
  it('a ban keeps a user out and silences a member; an exception (+e) lets them in; voice lets them speak', async () => {
    const { port } = await unthrottledServer();
    const [op, bob] = await joinedClients(port, '#c', 'op', 'bob');
    const eve = await RawClient.register(port, 'eve');
    expect(await exchange(op, 'MODE #c +bb eve bob!*@*')).toEqual([':op!op@127.0.0.1 MODE #c +bb eve!*@* bob!*@*']);
    expect(await exchange(eve, 'JOIN #c')).toEqual([':test.server 474 eve #c :Cannot join channel (+b)']);
    expect(await exchange(bob, 'PRIVMSG #c :x')).toEqual([':test.server 404 bob #c :Cannot send to channel']);
    await exchange(op, 'MODE #c +v bob');
    expect(await exchange(bob, 'PRIVMSG #c :voiced')).toEqual([]);
    expect(await received(op)).toEqual([':bob!bob@127.0.0.1 PRIVMSG #c :voiced']);
    expect(await exchange(op, 'MODE #c +e EVE!*@127.0.0.*', 'MODE #c e')).toEqual([
      ':op!op@127.0.0.1 MODE #c +e EVE!*@127.0.0.*',
      expect.stringMatching(/^:test\.server 348 op #c EVE!\*@127\.0\.0\.\* op \d+$/),
      ':test.server 349 op #c :End of channel exception list',
    ]);
    expect((await exchange(eve, 'JOIN #c'))[0]).toBe(':eve!eve@127.0.0.1 JOIN #c');
    expect(await exchange(op, 'MODE #c -e eve!*@127.0.0.*')).toEqual([':op!op@127.0.0.1 MODE #c -e EVE!*@127.0.0.*']);
  });

  it('holds at most MAXLIST=100 entries per list (478)', async () => {
    const { port } = await unthrottledServer();
    const [op] = await joinedClients(port, '#c', 'op');
    const lines = Array.from({ length: 100 }, (_, i) => `MODE #c +b m${i}`);
    expect(await exchange(op, ...lines)).toHaveLength(100);
    expect(await exchange(op, 'MODE #c +b one-too-many', 'MODE #c +I one-too-many')).toEqual([
      ':test.server 478 op #c b :Channel list is full',
      ':op!op@127.0.0.1 MODE #c +I one-too-many!*@*',
    ]);
  });
});

describe('+i and +I', () => {
  it('keeps uninvited users out (473) unless an invite exception (+I) matches them', async () => {
    const { port } = await unthrottledServer();
    const [op] = await joinedClients(port, '#c', 'op');
    const bob = await RawClient.register(port, 'Bob');
    await exchange(op, 'MODE #c +i');
    expect(await exchange(bob, 'JOIN #c')).toEqual([':test.server 473 Bob #c :Cannot join channel (+i)']);
    expect(await exchange(op, 'MODE #c +I bob!*@*', 'MODE #c I')).toEqual([
      ':op!op@127.0.0.1 MODE #c +I bob!*@*',
      expect.stringMatching(/^:test\.server 346 op #c bob!\*@\* op \d+$/),
      ':test.server 347 op #c :End of channel invite exception list',
    ]);
    expect((await exchange(bob, 'JOIN #c', 'PART #c'))[0]).toBe(':Bob!Bob@127.0.0.1 JOIN #c');
    await exchange(op, 'MODE #c -I bob!*@*');
    expect(await exchange(bob, 'JOIN #c')).toEqual([':test.server 473 Bob #c :Cannot join channel (+i)']);
  });
});

describe('+k', () => {
  it('needs the key to join (475 without it or with a wrong one); -k removes it', async () => {
    const { port } = await unthrottledServer();
    const [op] = await joinedClients(port, '#c', 'op');
    await joinedClients(port, '#open', 'op2');
    const bob = await RawClient.register(port, 'bob');
    expect(await exchange(op, 'MODE #c +k beer')).toEqual([':op!op@127.0.0.1 MODE #c +k beer']);
    expect(await exchange(bob, 'JOIN #c', 'JOIN #c wine')).toEqual([
      ':test.server 475 bob #c :Cannot join channel (+k)',
      ':test.server 475 bob #c :Cannot join channel (+k)',
    ]);
    // Keys pair with channels in order.
    const joined = await exchange(bob, 'JOIN #open,#c x,beer');
    expect(joined.filter((l) => l.includes(' JOIN '))).toEqual([
      ':bob!bob@127.0.0.1 JOIN #open',
      ':bob!bob@127.0.0.1 JOIN #c',
    ]);
    expect(await exchange(op, 'MODE #c -k')).toEqual([':op!op@127.0.0.1 MODE #c -k *']);
    const carol = await RawClient.register(port, 'carol');
    expect((await exchange(carol, 'JOIN #c'))[0]).toBe(':carol!carol@127.0.0.1 JOIN #c');
  });

  it('refuses keys that are empty, too long for KEYLEN=23, or hold a space, comma or colon, with 696', async () => {
    const { port } = await unthrottledServer();
    const [op] = await joinedClients(port, '#c', 'op');
    const invalid = ':test.server 696 op #c k * :Invalid key';
    expect(await exchange(op, 'MODE #c +k :with space')).toEqual([invalid]);
    expect(await exchange(op, 'MODE #c +k :')).toEqual([invalid]);
    expect(await exchange(op, `MODE #c +k ${'k'.repeat(24)}`)).toEqual([invalid]);
    expect(await exchange(op, 'MODE #c +k a,b', 'MODE #c +k a:b')).toEqual([invalid, invalid]);
    expect(await exchange(op, `MODE #c +k ${'k'.repeat(23)}`)).toEqual([
      `:op!op@127.0.0.1 MODE #c +k ${'k'.repeat(23)}`,
    ]);
  });
});

describe('+l', () => {
  it('refuses joins beyond the limit (471), keeps those already in, and -l lifts it', async () => {
    const { port } = await unthrottledServer();
    const [op, bob] = await joinedClients(port, '#c', 'op', 'bob');
    const carol = await RawClient.register(port, 'carol');
    expect(await exchange(op, 'MODE #c +l 1')).toEqual([':op!op@127.0.0.1 MODE #c +l 1']);
    expect(await exchange(carol, 'JOIN #c')).toEqual([':test.server 471 carol #c :Cannot join channel (+l)']);
    expect(await exchange(bob, 'PRIVMSG #c :still here')).toEqual([]);
    await exchange(op, 'MODE #c +l 3');
    expect((await exchange(carol, 'JOIN #c'))[0]).toBe(':carol!carol@127.0.0.1 JOIN #c');
    const dave = await RawClient.register(port, 'dave');
    expect(await exchange(dave, 'JOIN #c')).toEqual([':test.server 471 dave #c :Cannot join channel (+l)']);
    expect(await exchange(op, 'MODE #c -l')).toEqual([':op!op@127.0.0.1 MODE #c -l']);
    expect((await exchange(dave, 'JOIN #c'))[0]).toBe(':dave!dave@127.0.0.1 JOIN #c');
  });

  it('refuses a limit that is not a positive integer with 696', async () => {
    const { port } = await unthrottledServer();
    const [op] = await joinedClients(port, '#c', 'op');
    expect(await exchange(op, 'MODE #c +l 0', 'MODE #c +l -1', 'MODE #c +l abc', 'MODE #c +l :')).toEqual([
      ':test.server 696 op #c l 0 :Invalid limit',
      ':test.server 696 op #c l -1 :Invalid limit',
      ':test.server 696 op #c l abc :Invalid limit',
      ':test.server 696 op #c l * :Invalid limit',
    ]);
    expect((await exchange(op, 'MODE #c'))[0]).toBe(':test.server 324 op #c +nt');
  });
});

describe('+s', () => {
  it('hides a secret channel from LIST, NAMES and WHOIS of non-members, and marks it @ in NAMES', async () => {
    const { port } = await unthrottledServer();
    const [op] = await joinedClients(port, '#hidden', 'op');
    await exchange(op, 'MODE #hidden +s');
    const eve = await RawClient.register(port, 'eve');
    expect(await exchange(eve, 'LIST')).toEqual([
      ':test.server 321 eve Channel :Users  Name',
      ':test.server 323 eve :End of /LIST',
    ]);
    expect(await exchange(eve, 'NAMES #hidden')).toEqual([':test.server 366 eve #hidden :End of /NAMES list']);
    expect((await exchange(eve, 'WHOIS op')).filter((l) => / 319 /.test(l))).toEqual([]);
    expect(await exchange(op, 'NAMES #hidden', 'LIST')).toEqual([
      ':test.server 353 op @ #hidden :@op',
      ':test.server 366 op #hidden :End of /NAMES list',
      ':test.server 321 op Channel :Users  Name',
      ':test.server 322 op #hidden 1 :',
      ':test.server 323 op :End of /LIST',
    ]);
    expect((await exchange(op, 'WHOIS op')).filter((l) => / 319 /.test(l))).toEqual([
      ':test.server 319 op op :@#hidden',
    ]);
  });
});
