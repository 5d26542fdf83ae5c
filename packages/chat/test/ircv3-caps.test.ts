import { serviceForTests } from '@quartet/core';
import { describe, expect, it } from 'vitest';
import { capLines } from '../src/server/capabilities.js';
import { capClient, exchange, joinAll, received, unthrottledServer } from './exchange.js';
import { RawClient } from './helpers.js';
import { eventually, node, operFile, prefix } from './network-nodes.js';

/** The msgid of a tagged line, and the line without it. */
function splitMsgid(line: string): { msgid: string; rest: string } {
  const match = /^@msgid=([^; ]+)(?:;(\S+))? (.*)$/.exec(line);
  if (!match) throw new Error(`no msgid in ${line}`);
  return { msgid: match[1]!, rest: match[2] === undefined ? match[3]! : `@${match[2]} ${match[3]!}` };
}

const ALL =
  'account-notify account-tag away-notify batch cap-notify chghost draft/account-registration draft/chathistory echo-message ' +
  'extended-join invite-notify labeled-response message-tags multi-prefix sasl server-time setname userhost-in-names';
/** The same, with the values a `CAP LS 302` client is shown. */
const ALL_302 = ALL.replace('draft/account-registration', 'draft/account-registration=custom-account-name').replace(
  'sasl',
  'sasl=PLAIN',
);

describe('CAP LS 302 and cap-notify', () => {
  it('offers every capability; 302 turns on cap-notify, which a 302 client cannot turn off', async () => {
    const { port } = await unthrottledServer();
    const old = await RawClient.connect(port);
    expect(await exchange(old, 'CAP LS', 'CAP LIST')).toEqual([
      `:test.server CAP * LS :${ALL}`,
      ':test.server CAP * LIST :',
    ]);
    expect(await exchange(old, 'CAP REQ :cap-notify', 'CAP REQ :-cap-notify')).toEqual([
      ':test.server CAP * ACK :cap-notify',
      ':test.server CAP * ACK :-cap-notify',
    ]);
    const modern = await RawClient.connect(port);
    expect(await exchange(modern, 'CAP LS 302', 'CAP LIST', 'CAP REQ :-cap-notify')).toEqual([
      `:test.server CAP * LS :${ALL_302}`,
      ':test.server CAP * LIST :cap-notify',
      ':test.server CAP * NAK :-cap-notify',
    ]);
  });

  it('cuts a long list into 302 continuation lines at token boundaries', () => {
    expect(capLines(['aaaa', 'bbbb', 'cc', 'dddddd'], 9)).toEqual(['aaaa bbbb', 'cc dddddd']);
    expect(capLines(['a', 'b'], 100)).toEqual(['a b']);
    expect(capLines([], 100)).toEqual(['']);
  });
});

describe('message-tags', () => {
  it('gives the same msgid to every recipient and the echo, relays client tags only to message-tags clients', async () => {
    const { port } = await unthrottledServer();
    const sender = await capClient(port, 'sender', 'message-tags echo-message');
    const tagged = await capClient(port, 'tagged', 'message-tags');
    const bare = await RawClient.register(port, 'bare');
    await joinAll('#t', [sender, tagged, bare]);

    const echo = await exchange(sender, '@+example.com/note=a\\sb\\:c\\\\d;+react=👍;time=forged PRIVMSG #t :hi');
    expect(echo).toHaveLength(1);
    const sent = splitMsgid(echo[0]!);
    expect(sent.rest).toBe('@+example.com/note=a\\sb\\:c\\\\d;+react=👍 :sender!sender@127.0.0.1 PRIVMSG #t :hi');
    expect(await received(tagged)).toEqual([echo[0]]);
    expect(await received(bare)).toEqual([':sender!sender@127.0.0.1 PRIVMSG #t :hi']);

    // A private message and a NOTICE get theirs too, each a new one.
    const [pm] = await exchange(sender, 'PRIVMSG tagged :psst');
    expect(splitMsgid(pm!).rest).toBe(':sender!sender@127.0.0.1 PRIVMSG tagged :psst');
    expect(splitMsgid(pm!).msgid).not.toBe(sent.msgid);
    expect(await received(tagged)).toEqual([pm]);
    const [notice] = await exchange(sender, 'NOTICE #t :note');
    expect(await received(tagged)).toEqual([notice]);
    expect(await received(bare)).toEqual([':sender!sender@127.0.0.1 NOTICE #t :note']);

    // Tags from a client without message-tags are not relayed; the message still gets a msgid.
    await exchange(bare, '@+react=x PRIVMSG #t :plain');
    const [fromBare] = await received(tagged);
    expect(splitMsgid(fromBare!).rest).toBe(':bare!bare@127.0.0.1 PRIVMSG #t :plain');
  });

  it('TAGMSG reaches message-tags clients only, and answers the errors of PRIVMSG', async () => {
    const { port } = await unthrottledServer();
    const sender = await capClient(port, 'sender', 'message-tags echo-message');
    const tagged = await capClient(port, 'tagged', 'message-tags');
    const bare = await RawClient.register(port, 'bare');
    await joinAll('#t', [sender, tagged, bare]);

    const [echo] = await exchange(sender, '@+typing=active TAGMSG #t');
    expect(splitMsgid(echo!).rest).toBe('@+typing=active :sender!sender@127.0.0.1 TAGMSG #t');
    expect(await received(tagged)).toEqual([echo]);
    expect(await received(bare)).toEqual([]);
    expect(await exchange(sender, '@+typing=done TAGMSG bare')).toHaveLength(1);
    expect(await received(bare)).toEqual([]);

    expect(await exchange(sender, 'TAGMSG', 'TAGMSG nobody', 'TAGMSG #nowhere')).toEqual([
      ':test.server 411 sender :No recipient given (TAGMSG)',
      ':test.server 401 sender nobody :No such nick/channel',
      ':test.server 403 sender #nowhere :No such channel',
    ]);
    expect(await exchange(bare, 'TAGMSG #t')).toEqual([':test.server 421 bare TAGMSG :Unknown command']);
  });

  it('takes 4094 bytes of client tag data and answers 417 to more', async () => {
    const { port } = await unthrottledServer();
    const sender = await capClient(port, 'sender', 'message-tags');
    const tagged = await capClient(port, 'tagged', 'message-tags');
    await joinAll('#t', [sender, tagged]);

    const fits = `+a=${'x'.repeat(4094 - 3)}`;
    const body = 'y'.repeat(400);
    expect(await exchange(sender, `@${fits} PRIVMSG #t :${body}`)).toEqual([]);
    expect(splitMsgid((await received(tagged))[0]!).rest).toBe(`@${fits} :sender!sender@127.0.0.1 PRIVMSG #t :${body}`);

    expect(await exchange(sender, `@${fits}x PRIVMSG #t :hi`)).toEqual([
      ':test.server 417 sender :Input line was too long',
    ]);
    // The rest of a tagged line is still held to 512 bytes.
    expect(await exchange(sender, `@+a=b PRIVMSG #t :${'z'.repeat(510)}`)).toEqual([
      ':test.server 417 sender :Input line was too long',
    ]);
    expect(await received(tagged)).toEqual([]);
  });
});

describe('away-notify', () => {
  it('tells channel peers with the capability of AWAY changes, and of an away user joining', async () => {
    const { port } = await unthrottledServer();
    const watcher = await capClient(port, 'watcher', 'away-notify');
    const bare = await RawClient.register(port, 'bare');
    const walker = await capClient(port, 'walker', 'away-notify');
    await joinAll('#t', [watcher, bare, walker]);

    expect(await exchange(walker, 'AWAY :lunch')).toEqual([
      ':test.server 306 walker :You have been marked as being away',
    ]);
    expect(await received(watcher)).toEqual([':walker!walker@127.0.0.1 AWAY :lunch']);
    expect(await received(bare)).toEqual([]);
    await exchange(walker, 'AWAY :lunch');
    expect(await received(watcher)).toEqual([]);

    await watcher.join('#other');
    await bare.join('#other');
    await received(watcher);
    await exchange(walker, 'JOIN #other');
    expect(await received(watcher)).toEqual([
      ':walker!walker@127.0.0.1 JOIN #other',
      ':walker!walker@127.0.0.1 AWAY :lunch',
    ]);
    expect(await received(bare)).toEqual([':walker!walker@127.0.0.1 JOIN #other']);

    await exchange(walker, 'AWAY');
    expect(await received(watcher)).toEqual([':walker!walker@127.0.0.1 AWAY']);
    expect(await received(bare)).toEqual([]);
  });
});

describe('invite-notify', () => {
  it('shows an INVITE to the channel operators with the capability', async () => {
    const { port } = await unthrottledServer();
    const chief = await capClient(port, 'chief', 'invite-notify');
    const deputy = await capClient(port, 'deputy', 'invite-notify');
    const bareOp = await RawClient.register(port, 'bareop');
    const member = await capClient(port, 'member', 'invite-notify');
    const guest = await RawClient.register(port, 'guest');
    for (const client of [chief, deputy, bareOp, member]) await client.join('#inv');
    await exchange(chief, 'MODE #inv +ioo deputy bareop');
    for (const client of [deputy, bareOp, member]) await received(client);

    expect(await exchange(chief, 'INVITE guest #inv')).toEqual([':test.server 341 chief guest #inv']);
    expect(await received(guest)).toEqual([':chief!chief@127.0.0.1 INVITE guest #inv']);
    expect(await received(deputy)).toEqual([':chief!chief@127.0.0.1 INVITE guest #inv']);
    expect(await received(bareOp)).toEqual([]);
    expect(await received(member)).toEqual([]);
  });
});

describe('setname', () => {
  it('changes the realname, tells the user and channel peers with the capability, and WHOIS shows it', async () => {
    const { port } = await unthrottledServer();
    const changer = await capClient(port, 'changer', 'setname');
    const peer = await capClient(port, 'peer', 'setname');
    const bare = await RawClient.register(port, 'bare');
    await joinAll('#t', [changer, peer, bare]);

    expect(await exchange(changer, 'SETNAME :Bruce Wayne <bruce@wayne.example>')).toEqual([
      ':changer!changer@127.0.0.1 SETNAME :Bruce Wayne <bruce@wayne.example>',
    ]);
    expect(await received(peer)).toEqual([':changer!changer@127.0.0.1 SETNAME :Bruce Wayne <bruce@wayne.example>']);
    expect(await received(bare)).toEqual([]);
    expect((await exchange(bare, 'WHOIS changer'))[0]).toBe(
      ':test.server 311 bare changer changer 127.0.0.1 * :Bruce Wayne <bruce@wayne.example>',
    );

    // A client without the capability is served silently.
    expect(await exchange(bare, 'SETNAME :Quiet')).toEqual([]);
    expect(await received(peer)).toEqual([':bare!bare@127.0.0.1 SETNAME :Quiet']);
    expect((await exchange(peer, 'WHOIS bare'))[0]).toBe(':test.server 311 peer bare bare 127.0.0.1 * :Quiet');
  });

  it('refuses an empty or too long realname with FAIL SETNAME INVALID_REALNAME', async () => {
    const { port } = await unthrottledServer();
    const changer = await capClient(port, 'changer', 'setname');
    const fail = ':test.server FAIL SETNAME INVALID_REALNAME :Realname is not valid';
    expect(await exchange(changer, 'SETNAME :', 'SETNAME', `SETNAME :${'ü'.repeat(51)}`)).toEqual([fail, fail, fail]);
    expect(await exchange(changer, `SETNAME :${'ü'.repeat(50)}`)).toEqual([
      `:changer!changer@127.0.0.1 SETNAME :${'ü'.repeat(50)}`,
    ]);
    expect((await exchange(changer, 'WHOIS changer'))[0]).toBe(
      `:test.server 311 changer changer changer 127.0.0.1 * :${'ü'.repeat(50)}`,
    );
  });
});

const redis = await serviceForTests('redis');

describe.skipIf(!redis.available)('IRCv3 capabilities across servers joined through Redis', () => {
  it('carries the msgid, client tags, TAGMSG, SETNAME and AWAY to the other server', async () => {
    const keys = prefix();
    const opers = await operFile();
    const a = await node(redis.url, 'a', keys, opers);
    const b = await node(redis.url, 'b', keys, opers);
    const remote = await capClient(b.port, 'remote', 'message-tags away-notify setname');
    const remoteBare = await RawClient.register(b.port, 'rbare');
    await remote.join('#net');
    await remoteBare.join('#net');
    const sender = await capClient(a.port, 'sender', 'message-tags echo-message');
    const near = await capClient(a.port, 'near', 'message-tags');
    await sender.join('#net');
    await near.join('#net');
    await remote.next(':near!near@127.0.0.1 JOIN #net');
    await eventually(sender, 'NAMES #net', / 366 /, / 353 sender = #net :.*rbare/);
    await received(remoteBare);

    const [echo] = await exchange(sender, '@+react=x PRIVMSG #net :across');
    const { msgid, rest } = splitMsgid(echo!);
    expect(rest).toBe('@+react=x :sender!sender@127.0.0.1 PRIVMSG #net :across');
    expect(await near.next(/PRIVMSG #net :across$/)).toBe(echo);
    expect(await remote.next(/PRIVMSG #net :across$/)).toBe(`@msgid=${msgid};${rest.slice(1)}`);
    expect(await remoteBare.next(/PRIVMSG #net :across$/)).toBe(':sender!sender@127.0.0.1 PRIVMSG #net :across');

    const [pm] = await exchange(sender, 'PRIVMSG remote :private');
    expect(await remote.next(/PRIVMSG remote :private$/)).toBe(pm);

    const [typing] = await exchange(sender, '@+typing=active TAGMSG #net');
    expect(await remote.next(/ TAGMSG #net$/)).toBe(typing);

    remoteBare.send('SETNAME :New Name', 'AWAY :gone');
    await eventually(sender, 'WHOIS rbare', / 318 /, / 311 sender rbare rbare 127\.0\.0\.1 \* :New Name$/);
    // TAGMSG, SETNAME and AWAY never reached the client without the capabilities.
    expect((await received(remoteBare)).filter((line) => !/ 306 /.test(line))).toEqual([]);
    expect(await remote.next(/ AWAY /)).toBe(':rbare!rbare@127.0.0.1 AWAY :gone');

    // The other server knows it too: WHOIS 301 and WHO's G flag, then H once back.
    const whois = await eventually(sender, 'WHOIS rbare', / 318 /, / 301 /);
    expect(whois.filter((line) => / 301 /.test(line))).toEqual([':a.quartet.test 301 sender rbare :gone']);
    expect((await exchange(sender, 'WHO rbare'))[0]).toBe(
      ':a.quartet.test 352 sender * rbare 127.0.0.1 b.quartet.test rbare G :1 New Name',
    );
    remoteBare.send('AWAY');
    await eventually(sender, 'WHO rbare', / 315 /, / rbare H :1 New Name$/);
    expect((await exchange(sender, 'WHOIS rbare')).filter((line) => / 301 /.test(line))).toEqual([]);
  });

  it("shows an INVITE to the channel's operators with invite-notify on the other server too", async () => {
    const keys = prefix();
    const opers = await operFile();
    const a = await node(redis.url, 'a', keys, opers);
    const b = await node(redis.url, 'b', keys, opers);
    const chief = await capClient(a.port, 'chief', 'invite-notify');
    await chief.join('#inv');
    // Channel operators are per server: the first in #inv on b is its operator there.
    const farOp = await capClient(b.port, 'farop', 'invite-notify');
    const farMember = await capClient(b.port, 'farmember', 'invite-notify');
    await farOp.join('#inv');
    await farMember.join('#inv');
    const guest = await RawClient.register(b.port, 'guest');
    await eventually(chief, 'NAMES #inv', / 366 /, / 353 chief = #inv :.*farmember/);
    await eventually(chief, 'WHOIS guest', / 318 /, / 311 chief guest /);
    await received(farOp);
    await received(farMember);

    expect(await exchange(chief, 'INVITE guest #inv')).toEqual([':a.quartet.test 341 chief guest #inv']);
    expect(await guest.next(/ INVITE /)).toBe(':chief!chief@127.0.0.1 INVITE guest #inv');
    expect(await farOp.next(/ INVITE /)).toBe(':chief!chief@127.0.0.1 INVITE guest #inv');
    expect(await received(farMember)).toEqual([]);
  });
});
