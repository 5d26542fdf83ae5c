import { describe, expect, it } from 'vitest';
import { parseMessage } from '../src/protocol/message.js';
import { applyMemberModes, parseNamesEntry, sortedMembers } from '../web/members.js';
import { ChatState, SERVER_TAB } from '../web/state.js';

// The web client's state, fed the exact lines chat-server sends (see server-irc.test.ts and ircv3-caps.test.ts).
const NOW = new Date('2026-12-07T12:00:00.000Z');

function feed(state: ChatState, ...lines: string[]): ChatState {
  for (const line of lines) state.apply(parseMessage(line)!, NOW);
  return state;
}

function joined(): ChatState {
  return feed(
    new ChatState(),
    ':test.server 001 me :Welcome to the quartet IRC Network me!me@127.0.0.1',
    ':test.server 005 me CASEMAPPING=ascii CHATHISTORY=100 :are supported by this server',
    ':me!me@127.0.0.1 JOIN #room',
    ':test.server 332 me #room :the topic',
    ':test.server 353 me = #room :@me +bob',
    ':test.server 353 me = #room :carol',
    ':test.server 366 me #room :End of /NAMES list.',
  );
}

const texts = (state: ChatState, name: string) =>
  state.find(name)!.lines.map((line) => `${line.kind} ${line.nick}|${line.text}`);

describe('web client state', () => {
  it('a JOIN makes the channel current with its topic and members (NAMES over several lines)', () => {
    const state = joined();
    expect(state.nick).toBe('me');
    expect(state.historyLimit).toBe(100);
    expect(state.currentConversation.name).toBe('#room');
    expect(state.currentConversation.topic).toBe('the topic');
    expect(sortedMembers(state.currentConversation.members)).toEqual([
      ['me', '@'],
      ['bob', '+'],
      ['carol', ''],
    ]);
    expect(state.joinedChannels()).toEqual(['#room']);
  });

  it('messages carry time (server-time), nick and msgid; actions and notices are told apart', () => {
    const state = feed(
      joined(),
      '@time=2026-12-07T11:00:00.000Z;msgid=a1 :bob!bob@127.0.0.1 PRIVMSG #room :hello <b>there</b>',
      '@msgid=a2 :bob!bob@127.0.0.1 PRIVMSG #room :\x01ACTION waves\x01',
      ':carol!carol@127.0.0.1 NOTICE #room :a notice',
    );
    expect(state.find('#room')!.lines.slice(-3)).toEqual([
      { time: '2026-12-07T11:00:00.000Z', nick: 'bob', text: 'hello <b>there</b>', kind: 'message', msgid: 'a1' },
      { time: NOW.toISOString(), nick: 'bob', text: 'waves', kind: 'action', msgid: 'a2' },
      { time: NOW.toISOString(), nick: 'carol', text: 'a notice', kind: 'notice' },
    ]);
  });

  it('counts unread messages in conversations not in view, and clears them when selected', () => {
    const state = feed(
      joined(),
      ':me!me@127.0.0.1 JOIN #other',
      ':bob!bob@127.0.0.1 PRIVMSG #room :one',
      ':bob!bob@127.0.0.1 PRIVMSG #room :two',
      ':bob!bob@127.0.0.1 JOIN #other',
      ':bob!bob@127.0.0.1 PRIVMSG #other :seen',
    );
    expect(state.currentConversation.name).toBe('#other');
    expect(state.find('#room')!.unread).toBe(2);
    expect(state.find('#other')!.unread).toBe(0);
    state.select('#ROOM');
    expect(state.find('#room')!.unread).toBe(0);
  });

  it('private messages go under the other person, both ways (echo-message)', () => {
    const state = feed(
      joined(),
      ':bob!bob@127.0.0.1 PRIVMSG me :psst',
      ':me!me@127.0.0.1 PRIVMSG Bob :back',
      ':test.server NOTICE me :*** a server notice',
    );
    expect(texts(state, 'bob')).toEqual(['message bob|psst', 'message me|back']);
    expect(state.find('bob')!.kind).toBe('query');
    expect(state.find('bob')!.unread).toBe(1);
    expect(texts(state, SERVER_TAB)).toContain('notice test.server|*** a server notice');
    expect(state.server.unread).toBe(0);
  });

  it('follows JOIN, PART, KICK, QUIT, NICK, MODE and TOPIC in the member list and topic', () => {
    const state = feed(
      joined(),
      ':dave!dave@127.0.0.1 JOIN #room',
      ':me!me@127.0.0.1 MODE #room +o-v+b dave bob *!*@evil',
      ':carol!carol@127.0.0.1 PART #room :bye',
      ':bob!bob@127.0.0.1 NICK robert',
      ':me!me@127.0.0.1 KICK #room dave :enough',
      ':robert!bob@127.0.0.1 TOPIC #room :new topic',
      ':robert!bob@127.0.0.1 QUIT :Quit: gone',
    );
    expect(sortedMembers(state.find('#room')!.members)).toEqual([['me', '@']]);
    expect(state.find('#room')!.topic).toBe('new topic');
    expect(texts(state, '#room').slice(-6)).toEqual([
      'event dave|dave joined #room',
      'event carol|carol left #room (bye)',
      'event bob|bob is now known as robert',
      'event me|me kicked dave from #room (enough)',
      'event robert|robert set the topic: new topic',
      'event robert|robert quit (Quit: gone)',
    ]);
  });

  it('joining again after a reconnect keeps the conversation in view and its lines', () => {
    const state = feed(joined(), ':me!me@127.0.0.1 JOIN #b', ':bob!bob@127.0.0.1 PRIVMSG #b :before');
    state.select('#room');
    feed(state, ':me!me@127.0.0.1 JOIN #room', ':me!me@127.0.0.1 JOIN #b');
    expect(state.currentConversation.name).toBe('#room');
    expect(texts(state, '#b')).toContain('message bob|before');
    expect(state.joinedChannels()).toEqual(['#room', '#b']);
  });

  it('PART of our own removes the channel; a KICK of us keeps it to read, no longer joined', () => {
    const state = feed(joined(), ':me!me@127.0.0.1 JOIN #b', ':me!me@127.0.0.1 PART #b');
    expect(state.find('#b')).toBeUndefined();
    expect(state.currentConversation.name).toBe(SERVER_TAB);
    feed(state, ':op!op@127.0.0.1 KICK #room me :out');
    expect(state.find('#room')!.joined).toBe(false);
    expect(state.joinedChannels()).toEqual([]);
  });

  it('chathistory batches merge older lines in time order, each msgid once; an empty answer to BEFORE ends the history', () => {
    const state = feed(
      joined(),
      '@time=2026-12-07T11:00:03.000Z;msgid=m3 :bob!bob@127.0.0.1 PRIVMSG #room :three',
      ':test.server BATCH +h1 chathistory #room',
      '@batch=h1;time=2026-12-07T11:00:01.000Z;msgid=m1 :bob!bob@127.0.0.1 PRIVMSG #room :one',
      '@batch=h1;time=2026-12-07T11:00:02.000Z;msgid=m2 :carol!carol@127.0.0.1 PRIVMSG #room :two',
      '@batch=h1;time=2026-12-07T11:00:03.000Z;msgid=m3 :bob!bob@127.0.0.1 PRIVMSG #room :three',
      ':test.server BATCH -h1',
    );
    const room = state.find('#room')!;
    expect(room.lines.filter((line) => line.kind === 'message').map((line) => line.text)).toEqual([
      'one',
      'two',
      'three',
    ]);
    expect(room.unread).toBe(0);
    expect(state.oldestReference('#room')).toBe('msgid=m1');
    room.historyRequest = 'latest';
    feed(state, ':test.server BATCH +h2 chathistory #room', ':test.server BATCH -h2');
    expect(room).toMatchObject({ historyRequest: undefined, historyDone: false });
    room.historyRequest = 'before';
    feed(state, ':test.server BATCH +h2 chathistory #room', ':test.server BATCH -h2');
    expect(room).toMatchObject({ historyRequest: undefined, historyDone: true });
  });

  it("the oldest reference: the oldest message's msgid, else its time; none without messages", () => {
    const state = feed(new ChatState(), ':test.server 001 me :Welcome', ':me!me@127.0.0.1 JOIN #q');
    expect(state.oldestReference('#q')).toBeUndefined();
    feed(state, '@time=2026-12-07T10:00:00.000Z :bob!bob@127.0.0.1 PRIVMSG #q :no msgid');
    expect(state.oldestReference('#q')).toBe('timestamp=2026-12-07T10:00:00.000Z');
  });

  it('error numerics are shown where the user is looking', () => {
    const state = feed(joined(), ":test.server 482 me #room :You're not channel operator");
    expect(texts(state, '#room').at(-1)).toBe("error |#room You're not channel operator");
  });
});

describe('web client members', () => {
  it('keeps every status (multi-prefix): taking +o from an operator who is voiced leaves +v', () => {
    const members = new Map([
      parseNamesEntry('@+alice'),
      parseNamesEntry('bob!bob@127.0.0.1'),
      parseNamesEntry('+carol'),
    ]);
    expect([...members]).toEqual([
      ['alice', '@+'],
      ['bob', ''],
      ['carol', '+'],
    ]);
    applyMemberModes(members, '-o+k+o-v', ['ALICE', 'key', 'bob', 'carol']);
    expect([...members]).toEqual([
      ['alice', '+'],
      ['bob', '@'],
      ['carol', ''],
    ]);
    expect(sortedMembers(members)).toEqual([
      ['bob', '@'],
      ['alice', '+'],
      ['carol', ''],
    ]);
  });

  it('ignores modes for nicks that are not members and modes that are not statuses', () => {
    const members = new Map([parseNamesEntry('alice')]);
    applyMemberModes(members, '+ovbl', ['nobody', 'nobody', '*!*@x', '10']);
    expect([...members]).toEqual([['alice', '']]);
  });
});
