import type { ChatStore, StoredMessage } from '../db/chat-store.js';
import type { HistoryQueries } from '../db/history-range.js';
import { renderMessage } from '../protocol/render.js';
import type { Channel } from './channel.js';
import type { Connection } from './connection.js';
import { Outgoing, type ServerMessage } from './outgoing.js';

/**
 * Channel history: every channel PRIVMSG and NOTICE from a user is kept, and
 * the newest `limit` are replayed to whoever joins. Three forms, by client:
 * an IRCv3 `chathistory` batch with `server-time` tags; NOTICEs marked
 * `[history]` for IRC clients without those capabilities; `[history]` lines
 * for plain mode. A client with `draft/chathistory` gets no replay: it asks
 * with CHATHISTORY for what it lacks (the spec's SHOULD NOT play back).
 */
export class History {
  private batches = 0;

  constructor(
    private readonly store: ChatStore,
    readonly limit: number,
    private readonly retentionMs: number,
  ) {}

  /** Keep a channel message; also called for messages that arrive from other servers. */
  record(channelKey: string, outgoing: Outgoing): void {
    const { prefix, command, params } = outgoing.message;
    if ((command !== 'PRIVMSG' && command !== 'NOTICE') || !prefix?.includes('!')) return;
    const { msgid = null, account = null } = outgoing.message.tags ?? {};
    this.store.record({ at: outgoing.at, channelKey, prefix, command, text: params[1] ?? '', msgid, account });
  }

  /** The store's CHATHISTORY queries. */
  get queries(): HistoryQueries<StoredMessage> {
    return this.store;
  }

  replay(server: ServerMessage, connection: Connection, channel: Channel): void {
    if (connection.caps.has('draft/chathistory')) return;
    const entries = this.store.recent(channel.key, this.limit);
    if (entries.length === 0) return;
    if (connection.mode === 'plain') return replayPlain(connection, channel, entries);
    if (connection.caps.has('batch') && connection.caps.has('server-time')) {
      return this.sendBatch(server, connection, channel.name, entries);
    }
    for (const entry of entries) {
      connection.send(server('NOTICE', channel.name, `[history] ${stamp(entry.at)} ${body(entry)}`));
    }
  }

  /**
   * Messages as they were sent, each with its `time`, `msgid` and `account` (for readers with `server-time`,
   * `message-tags` and `account-tag`), in a `chathistory` batch for readers with `batch`: always one, empty or not, so that a
   * CHATHISTORY client knows its answer is complete.
   */
  sendBatch(server: ServerMessage, connection: Connection, target: string, entries: readonly StoredMessage[]): void {
    const batch = connection.caps.has('batch') ? this.batchId() : undefined;
    if (batch !== undefined) connection.send(server('BATCH', `+${batch}`, 'chathistory', target));
    for (const entry of entries) {
      const tags: Record<string, string> = {};
      if (batch !== undefined) tags['batch'] = batch;
      if (entry.msgid !== null) tags['msgid'] = entry.msgid;
      if (entry.account !== null) tags['account'] = entry.account;
      if (connection.serverTime) tags['time'] = new Date(entry.at).toISOString();
      const message = { tags, prefix: entry.prefix, command: entry.command, params: [target, entry.text] };
      connection.send(new Outgoing(message, entry.at));
    }
    if (batch !== undefined) connection.send(server('BATCH', `-${batch}`));
  }

  /** A new batch id: unique on the server, so on every connection. */
  batchId(): string {
    return `history${++this.batches}`;
  }

  /** Forget messages older than the retention period; returns how many went. */
  prune(now: number): number {
    return this.store.pruneBefore(now - this.retentionMs);
  }
}

function replayPlain(connection: Connection, channel: Channel, entries: readonly StoredMessage[]): void {
  for (const entry of entries) {
    const message = { prefix: entry.prefix, command: entry.command, params: [channel.name, entry.text] };
    const text = renderMessage(message, { time: new Date(entry.at), currentChannel: connection.currentChannel });
    if (text !== undefined) connection.sendText(`[history] ${text}`);
  }
}

/** `2026-01-31 12:00:05Z`: the original time, unambiguous whatever the reader's zone. */
function stamp(at: number): string {
  return `${new Date(at).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

const CTCP_ACTION = '\x01ACTION ';

function body(entry: StoredMessage): string {
  const nick = entry.prefix.slice(0, entry.prefix.indexOf('!'));
  if (entry.text.startsWith(CTCP_ACTION)) {
    const action = entry.text.slice(CTCP_ACTION.length);
    return `* ${nick} ${action.endsWith('\x01') ? action.slice(0, -1) : action}`;
  }
  return entry.command === 'NOTICE' ? `-${nick}- ${entry.text}` : `<${nick}> ${entry.text}`;
}
