import type { Members } from './members.js';

/** One conversation's data, and the two ways lines get into it: as they happen, and from history batches. */
export interface ChatLine {
  /** The time the server gave (server-time), else when it arrived; ISO 8601. */
  readonly time: string;
  /** Who did it: the sender, the one who joined, the kicker; empty for the server's own notices. */
  readonly nick: string;
  readonly text: string;
  readonly kind: 'message' | 'action' | 'notice' | 'event' | 'error';
  readonly msgid?: string;
}

export interface Conversation {
  readonly name: string;
  readonly kind: 'channel' | 'query' | 'server';
  topic: string;
  members: Members;
  lines: ChatLine[];
  unread: number;
  /** In the channel; false after PART or KICK, so that a reconnect does not rejoin it. */
  joined: boolean;
  /**
   * The CHATHISTORY request on its way, if any; set by the page, cleared when a chathistory batch ends. One at a time:
   * batches do not say which request they answer, so only then is an empty one known to be the BEFORE's.
   */
  historyRequest: 'latest' | 'before' | undefined;
  /** The server had no older messages. */
  historyDone: boolean;
}

/** Kept per conversation; older lines are dropped (a long-open tab must not grow without bound). */
const MAX_LINES = 2000;

export function newConversation(name: string, kind: Conversation['kind']): Conversation {
  return {
    name,
    kind,
    topic: '',
    members: new Map(),
    lines: [],
    unread: 0,
    joined: false,
    historyRequest: undefined,
    historyDone: false,
  };
}

export function addLine(conversation: Conversation, line: ChatLine, unread = false): void {
  if (line.msgid !== undefined && conversation.lines.some((known) => known.msgid === line.msgid)) return;
  conversation.lines.push(line);
  if (conversation.lines.length > MAX_LINES) conversation.lines.splice(0, conversation.lines.length - MAX_LINES);
  if (unread && line.kind !== 'event') conversation.unread += 1;
}

/** History from a batch: into time order among what is there, each msgid once (a replay may overlap what we saw). */
export function mergeHistory(conversation: Conversation, lines: readonly ChatLine[]): number {
  const known = new Set(conversation.lines.map((line) => line.msgid).filter(Boolean));
  const fresh = lines.filter((line) => line.msgid === undefined || !known.has(line.msgid));
  // Stable sort: lines with equal times keep the order the server sent them in.
  conversation.lines = [...fresh, ...conversation.lines].sort((a, b) => a.time.localeCompare(b.time));
  return fresh.length;
}
