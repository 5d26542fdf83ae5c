import type { ChatStore, StoredMessage } from '../db/chat-store.js';
import { renderMessage } from '../protocol/render.js';
import type { Channel } from './channel.js';
import type { Connection } from './connection.js';
import { Outgoing, type ServerMessage } from './outgoing.js';

/**
 * Channel history: every channel PRIVMSG and NOTICE from a user is kept, and
 * the newest `limit` are replayed to whoever joins. Three forms, by client:
 * an IRCv3 `chathistory` batch with `server-time` tags; NOTICEs marked
 * `[history]` for IRC clients without those capabilities; `[history]` lines
 * for plain mode.
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
    this.store.record({ at: outgoing.at, channelKey, prefix, command, text: params[1] ?? '' });
  }

  replay(server: ServerMessage, connection: Connection, channel: Channel): void {
    const entries = this.store.recent(channel.key, this.limit);
    if (entries.length === 0) return;
    if (connection.mode === 'plain') return replayPlain(connection, channel, entries);
    if (connection.caps.has('batch') && connection.caps.has('server-time')) {
      const id = `history${++this.batches}`;
      connection.send(server('BATCH', `+${id}`, 'chathistory', channel.name));
      for (const entry of entries) {
        const tags = { batch: id, time: new Date(entry.at).toISOString() };
        const message = { tags, prefix: entry.prefix, command: entry.command, params: [channel.name, entry.text] };
        connection.send(new Outgoing(message, entry.at));
      }
      connection.send(server('BATCH', `-${id}`));
      return;
    }
    for (const entry of entries) {
      connection.send(server('NOTICE', channel.name, `[history] ${stamp(entry.at)} ${body(entry)}`));
    }
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
