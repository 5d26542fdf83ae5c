import { describe, expect, it } from 'vitest';
import { RawClient, startServer } from './helpers.js';

/** Send lines, then a PING: every reply up to the PONG (left out). */
async function ask(client: RawClient, ...lines: string[]): Promise<string[]> {
  client.send(...lines, 'PING done');
  return (await client.collectUntil(/ PONG /)).slice(0, -1);
}

describe('CAP', () => {
  it('offers its capabilities to CAP LS, with or without 302', async () => {
    const { port } = await startServer();
    const client = await RawClient.connect(port);
    // Values (`sasl=PLAIN`) only for 302 clients: an older one would take `name=value` for a name.
    const offer =
      ':test.server CAP * LS :account-notify account-tag away-notify batch cap-notify chghost draft/account-registration draft/chathistory echo-message extended-join invite-notify labeled-response message-tags multi-prefix sasl server-time setname userhost-in-names';
    expect(await ask(client, 'CAP LS')).toEqual([expect.stringContaining('NOTICE * :*** Welcome'), offer]);
    expect(await ask(client, 'CAP LS 302')).toEqual([
      ':test.server CAP * LS :account-notify account-tag away-notify batch cap-notify chghost draft/account-registration=custom-account-name draft/chathistory echo-message extended-join invite-notify labeled-response message-tags multi-prefix sasl=PLAIN server-time setname userhost-in-names',
    ]);
  });

  it('ACKs or NAKs a REQ whole, and CAP LIST shows what is enabled (an empty parameter for none)', async () => {
    const { port } = await startServer();
    const client = await RawClient.connect(port);
    await ask(client, 'CAP LS 302');
    // CAP LS 302 turns cap-notify on by itself.
    expect(await ask(client, 'CAP LIST')).toEqual([':test.server CAP * LIST :cap-notify']);
    expect(await ask(client, 'CAP REQ :multi-prefix foo', 'CAP REQ :foo multi-prefix bar', 'CAP LIST')).toEqual([
      ':test.server CAP * NAK :multi-prefix foo',
      ':test.server CAP * NAK :foo multi-prefix bar',
      ':test.server CAP * LIST :cap-notify',
    ]);
    expect(await ask(client, 'CAP REQ :multi-prefix userhost-in-names', 'CAP LIST')).toEqual([
      ':test.server CAP * ACK :multi-prefix userhost-in-names',
      ':test.server CAP * LIST :cap-notify multi-prefix userhost-in-names',
    ]);
    expect(await ask(client, 'CAP REQ :-multi-prefix', 'CAP LIST')).toEqual([
      ':test.server CAP * ACK :-multi-prefix',
      ':test.server CAP * LIST :cap-notify userhost-in-names',
    ]);
  });

  it('holds registration until CAP END, and ignores CAP END afterwards', async () => {
    const { port } = await startServer();
    const client = await RawClient.connect(port);
    expect(await ask(client, 'CAP LS 302', 'NICK foo', 'USER foo 0 * :Foo')).toEqual([
      expect.stringContaining('NOTICE * :*** Welcome'),
      ':test.server CAP * LS :account-notify account-tag away-notify batch cap-notify chghost draft/account-registration=custom-account-name draft/chathistory echo-message extended-join invite-notify labeled-response message-tags multi-prefix sasl=PLAIN server-time setname userhost-in-names',
    ]);
    client.send('CAP END');
    await client.next(':test.server 001 foo :Welcome to the quartet IRC Network foo!foo@127.0.0.1');
    await client.next(/ 422 /);
    expect(await ask(client, 'CAP END')).toEqual([]);
  });

  it('takes a REQ after registration, and server-time then stamps messages', async () => {
    const { port } = await startServer();
    const alice = await RawClient.register(port, 'alice');
    const bob = await RawClient.register(port, 'bob');
    // In force at once: the ACK itself carries the time.
    expect(await ask(alice, 'CAP REQ :server-time')).toEqual([
      expect.stringMatching(/^@time=\S+ :test\.server CAP alice ACK :server-time$/),
    ]);
    bob.send('PRIVMSG alice :hi');
    expect(await alice.next(/PRIVMSG alice :hi$/)).toMatch(
      /^@time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z :bob!bob@127\.0\.0\.1 PRIVMSG alice :hi$/,
    );
  });

  it('answers an unknown subcommand with 410 and no subcommand with 461', async () => {
    const { port } = await startServer();
    const alice = await RawClient.register(port, 'alice');
    expect(await ask(alice, 'CAP FROB', 'CAP')).toEqual([
      ':test.server 410 alice FROB :Invalid CAP command',
      ':test.server 461 alice CAP :Not enough parameters',
    ]);
  });
});

describe('multi-prefix and userhost-in-names', () => {
  it('show every status of a member in NAMES, WHO and WHOIS with multi-prefix, the highest without', async () => {
    const { port } = await startServer();
    const foo = await RawClient.register(port, 'foo');
    const plain = await RawClient.register(port, 'plain');
    await ask(foo, 'CAP REQ :multi-prefix');
    await foo.join('#chan');
    await plain.join('#chan');
    foo.send('MODE #chan +v foo');
    await foo.next(':foo!foo@127.0.0.1 MODE #chan +v foo');
    await plain.next(':foo!foo@127.0.0.1 MODE #chan +v foo');
    expect(await ask(foo, 'NAMES #chan', 'WHO #chan', 'WHOIS foo')).toEqual([
      ':test.server 353 foo = #chan :@+foo plain',
      ':test.server 366 foo #chan :End of /NAMES list',
      ':test.server 352 foo #chan foo 127.0.0.1 test.server foo H@+ :0 foo Real',
      ':test.server 352 foo #chan plain 127.0.0.1 test.server plain H :0 plain Real',
      ':test.server 315 foo #chan :End of WHO list',
      ':test.server 311 foo foo foo 127.0.0.1 * :foo Real',
      ':test.server 319 foo foo :@+#chan',
      ':test.server 312 foo foo test.server :quartet chat',
      expect.stringMatching(/^:test\.server 317 foo foo \d+ \d+ :seconds idle, signon time$/),
      ':test.server 318 foo foo :End of /WHOIS list',
    ]);
    expect(await ask(plain, 'NAMES #chan', 'WHO #chan')).toEqual([
      ':test.server 353 plain = #chan :@foo plain',
      ':test.server 366 plain #chan :End of /NAMES list',
      ':test.server 352 plain #chan foo 127.0.0.1 test.server foo H@ :0 foo Real',
      ':test.server 352 plain #chan plain 127.0.0.1 test.server plain H :0 plain Real',
      ':test.server 315 plain #chan :End of WHO list',
    ]);
  });

  it('userhost-in-names gives nick!user@host in NAMES, also on JOIN', async () => {
    const { port } = await startServer();
    const alice = await RawClient.register(port, 'alice', 'al');
    await ask(alice, 'CAP REQ :userhost-in-names multi-prefix');
    await alice.join('#room');
    const bob = await RawClient.register(port, 'bob');
    await bob.join('#room');
    await alice.next(':bob!bob@127.0.0.1 JOIN #room');
    expect(await ask(alice, 'NAMES #room')).toEqual([
      ':test.server 353 alice = #room :@alice!al@127.0.0.1 bob!bob@127.0.0.1',
      ':test.server 366 alice #room :End of /NAMES list',
    ]);
    alice.send('JOIN #other');
    expect(await alice.next(/ 353 /)).toBe(':test.server 353 alice = #other :@alice!al@127.0.0.1');
  });
});

describe('echo-message', () => {
  it("sends a client's own PRIVMSGs and NOTICEs back as delivered, to channels and nicks, and nothing for a refusal", async () => {
    const { port } = await startServer();
    const alice = await RawClient.register(port, 'alice');
    const bob = await RawClient.register(port, 'bob');
    await alice.join('#chan');
    await bob.join('#chan');
    await ask(alice, 'CAP REQ :echo-message');
    expect(
      await ask(alice, 'PRIVMSG #chan :hello everyone', 'NOTICE #chan :note', 'PRIVMSG bob :psst', 'PRIVMSG #nope :x'),
    ).toEqual([
      ':alice!alice@127.0.0.1 PRIVMSG #chan :hello everyone',
      ':alice!alice@127.0.0.1 NOTICE #chan :note',
      ':alice!alice@127.0.0.1 PRIVMSG bob :psst',
      ':test.server 403 alice #nope :No such channel',
    ]);
    await bob.next(':alice!alice@127.0.0.1 PRIVMSG #chan :hello everyone');
    await bob.next(':alice!alice@127.0.0.1 PRIVMSG bob :psst');
    // Without the capability, nothing comes back.
    expect(await ask(bob, 'PRIVMSG #chan :hi')).toEqual([]);
  });
});
