import { foldCase, isChannelName } from '../src/protocol/casemap.js';
import { prefixNick, type Message } from '../src/protocol/message.js';
import { addLine, mergeHistory, newConversation, type ChatLine, type Conversation } from './conversation.js';
import { applyMemberModes, parseNamesEntry, type Members } from './members.js';

export const SERVER_TAB = '*server*';

/**
 * What the web client knows, built from the IRC lines it receives: conversations (channels and private messages) with
 * their messages, unread counts, topics and members. No DOM and no socket: the view reads it, the connection feeds it.
 */
export class ChatState {
  nick = '';
  isOper = false;
  /** The CHATHISTORY ISUPPORT value: how many messages one request may ask for (0: not offered). */
  historyLimit = 0;
  readonly conversations = new Map<string, Conversation>();
  current = foldCase(SERVER_TAB);
  private readonly batches = new Map<string, { type: string; target: string; lines: ChatLine[] }>();
  private readonly names = new Map<string, Members>();

  constructor() {
    this.conversations.set(this.current, newConversation(SERVER_TAB, 'server'));
  }

  get currentConversation(): Conversation {
    return this.conversations.get(this.current) ?? this.server;
  }

  get server(): Conversation {
    return this.conversations.get(foldCase(SERVER_TAB))!;
  }

  /** Channels to join again after a reconnect. */
  joinedChannels(): string[] {
    return [...this.conversations.values()].filter((c) => c.kind === 'channel' && c.joined).map((c) => c.name);
  }

  /** A private conversation with `nick`, made current (it appears by itself when a message arrives, too). */
  openQuery(nick: string): void {
    this.conversation(nick, 'query');
    this.select(nick);
  }

  /** Close a private conversation (channels are left with PART, and go when the server confirms it). */
  close(name: string): void {
    if (this.find(name)?.kind === 'query') this.leave(name);
  }

  select(name: string): void {
    const conversation = this.conversations.get(foldCase(name));
    if (!conversation) return;
    this.current = foldCase(name);
    conversation.unread = 0;
  }

  /** A line of the client's own (errors from /commands, help). */
  note(text: string, kind: ChatLine['kind'] = 'event', now = new Date()): void {
    addLine(this.currentConversation, { time: now.toISOString(), nick: '', text, kind });
  }

  /** Apply one message from the server. */
  apply(message: Message, now = new Date()): void {
    const time = message.tags?.['time'] ?? now.toISOString();
    const nick = prefixNick(message.prefix);
    const [p0 = '', p1 = '', p2 = ''] = message.params;
    const batch = message.tags?.['batch'];
    switch (message.command) {
      case '001':
        this.nick = p0;
        return;
      case '005':
        for (const token of message.params.slice(1, -1)) {
          const [key, value = ''] = token.split('=');
          if (key === 'CHATHISTORY') this.historyLimit = Number(value) || 0;
        }
        return;
      case '381':
        this.isOper = true;
        return;
      case 'BATCH':
        return this.batch(p0, message.params.slice(1));
      case 'PRIVMSG':
      case 'NOTICE':
        return this.message(message, time, batch);
      case 'JOIN':
        if (this.isMe(nick)) {
          const channel = this.conversation(p0, 'channel');
          // A channel joined again after a reconnect keeps its place; one the user just joined comes into view.
          if (!channel.joined) this.select(p0);
          channel.joined = true;
          channel.members = new Map();
        } else this.members(p0)?.set(nick, '');
        return this.event(p0, time, nick, `${nick} joined ${p0}`);
      case 'PART':
        if (this.isMe(nick)) return this.leave(p0);
        this.members(p0)?.delete(nick);
        return this.event(p0, time, nick, `${nick} left ${p0}${p1 ? ` (${p1})` : ''}`);
      case 'KICK':
        if (this.isMe(p1)) {
          const channel = this.find(p0);
          if (channel) channel.joined = false;
          this.members(p0)?.clear();
        } else this.members(p0)?.delete(p1);
        return this.event(p0, time, nick, `${nick} kicked ${p1} from ${p0}${p2 ? ` (${p2})` : ''}`);
      case 'QUIT':
        for (const conversation of this.conversations.values()) {
          if (!conversation.members.delete(nick)) continue;
          addLine(conversation, { time, nick, text: `${nick} quit${p0 ? ` (${p0})` : ''}`, kind: 'event' }, false);
        }
        return;
      case 'NICK':
        return this.rename(nick, p0, time);
      case 'TOPIC':
        this.setTopic(p0, p1);
        return this.event(p0, time, nick, `${nick} set the topic: ${p1}`);
      case '332':
        return this.setTopic(p1, p2);
      case '331':
        return this.setTopic(p1, '');
      case 'MODE': {
        const members = this.members(p0);
        return void (members && applyMemberModes(members, p1, message.params.slice(2)));
      }
      case '353':
        return this.namesReply(message.params);
      case '366':
        return this.namesEnd(p1);
      case 'FAIL':
        // IRCv3 standard replies: `FAIL <command> <code> [context…] :description`.
        if (p0 === 'CHATHISTORY')
          for (const conversation of this.conversations.values()) conversation.historyRequest = undefined;
        return addLine(this.currentConversation, { time, nick: '', text: message.params.at(-1) ?? '', kind: 'error' });
      case 'ERROR':
        return addLine(this.server, { time, nick: '', text: p0, kind: 'error' });
      default:
        if (/^[45]\d\d$/.test(message.command)) {
          // Errors go where the user is looking: they answer what was just typed.
          const text = message.params.slice(1).join(' ');
          return addLine(this.currentConversation, { time, nick: '', text, kind: 'error' }, false);
        }
        if (/^\d\d\d$/.test(message.command) && message.params.length > 1) {
          addLine(this.server, { time, nick: '', text: message.params.slice(1).join(' '), kind: 'notice' }, false);
        }
    }
  }

  /** `msgid=` or `timestamp=` of a channel's oldest message, for CHATHISTORY BEFORE. */
  oldestReference(name: string): string | undefined {
    // Our own event lines (joins, errors) carry the browser's clock, not the server's: only messages count.
    const first = this.find(name)?.lines.find((line) => line.kind !== 'event' && line.kind !== 'error');
    if (!first) return undefined;
    return first.msgid ? `msgid=${first.msgid}` : `timestamp=${first.time}`;
  }

  find(name: string): Conversation | undefined {
    return this.conversations.get(foldCase(name));
  }

  private isMe(nick: string): boolean {
    return this.nick !== '' && foldCase(nick) === foldCase(this.nick);
  }

  private conversation(name: string, kind: 'channel' | 'query'): Conversation {
    const key = foldCase(name);
    let conversation = this.conversations.get(key);
    if (!conversation) {
      conversation = newConversation(name, kind);
      this.conversations.set(key, conversation);
    }
    return conversation;
  }

  private members(channel: string): Map<string, string> | undefined {
    return this.find(channel)?.members;
  }

  private message(message: Message, time: string, batch: string | undefined): void {
    const nick = prefixNick(message.prefix);
    const [target = '', text = ''] = message.params;
    const msgid = message.tags?.['msgid'];
    // The server's own notices have no nick!user@host.
    const fromServer = !message.prefix?.includes('!');
    // A private message is filed under the other person, whichever way it went (echo-message sends ours back).
    const where = isChannelName(target) ? target : fromServer ? SERVER_TAB : this.isMe(nick) ? target : nick;
    const action = actionText(text);
    const line: ChatLine = {
      time,
      nick,
      text: action ?? text,
      kind: action ? 'action' : message.command === 'NOTICE' ? 'notice' : 'message',
      ...(msgid !== undefined && { msgid }),
    };
    const pending = batch === undefined ? undefined : this.batches.get(batch);
    if (pending) return void pending.lines.push(line);
    const conversation =
      where === SERVER_TAB ? this.server : this.conversation(where, isChannelName(where) ? 'channel' : 'query');
    // The server tab holds notices (welcome, MOTD, after every reconnect): they are not news to be counted.
    const unread = conversation.kind !== 'server' && conversation !== this.currentConversation && !this.isMe(nick);
    addLine(conversation, line, unread);
  }

  private batch(reference: string, rest: readonly string[]): void {
    const id = reference.slice(1);
    if (reference.startsWith('+')) {
      this.batches.set(id, { type: rest[0] ?? '', target: rest[1] ?? '', lines: [] });
      return;
    }
    const done = this.batches.get(id);
    this.batches.delete(id);
    if (!done || done.type !== 'chathistory') return;
    const conversation = this.find(done.target);
    if (!conversation) return;
    const added = mergeHistory(conversation, done.lines);
    // An answer to our CHATHISTORY BEFORE with nothing new in it: there is nothing older to fetch.
    if (conversation.historyRequest === 'before' && added === 0) conversation.historyDone = true;
    conversation.historyRequest = undefined;
  }

  private leave(channel: string): void {
    const key = foldCase(channel);
    this.conversations.delete(key);
    if (this.current === key) this.current = foldCase(SERVER_TAB);
  }

  private event(channel: string, time: string, nick: string, text: string): void {
    const conversation = this.find(channel);
    if (conversation) addLine(conversation, { time, nick, text, kind: 'event' }, false);
  }

  private setTopic(channel: string, topic: string): void {
    const conversation = this.find(channel);
    if (conversation) conversation.topic = topic;
  }

  private rename(from: string, to: string, time: string): void {
    if (this.isMe(from)) this.nick = to;
    for (const conversation of this.conversations.values()) {
      const status = conversation.members.get(from);
      if (status === undefined) continue;
      conversation.members.delete(from);
      conversation.members.set(to, status);
      addLine(conversation, { time, nick: from, text: `${from} is now known as ${to}`, kind: 'event' }, false);
    }
  }

  /** `353 me = #chan :@alice +bob carol`, possibly over several lines until 366. */
  private namesReply(params: readonly string[]): void {
    const channel = params[2] ?? '';
    const key = foldCase(channel);
    const names: Members = this.names.get(key) ?? new Map<string, string>();
    this.names.set(key, names);
    for (const entry of (params[3] ?? '').split(' ').filter(Boolean)) names.set(...parseNamesEntry(entry));
  }

  private namesEnd(channel: string): void {
    const key = foldCase(channel);
    const names = this.names.get(key);
    this.names.delete(key);
    const conversation = this.conversations.get(key);
    if (conversation && names) conversation.members = names;
  }
}

/** CTCP ACTION (`/me`): `\x01ACTION waves\x01`, the closing \x01 optional as many clients send it. */
function actionText(text: string): string | undefined {
  const start = `${CTCP}ACTION `;
  if (!text.startsWith(start)) return undefined;
  return text.endsWith(CTCP) ? text.slice(start.length, -1) : text.slice(start.length);
}

const CTCP = String.fromCharCode(1);
