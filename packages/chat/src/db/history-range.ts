/** A point in a channel's history: a kept message, by its IRCv3 `msgid`, or a moment (ms since the epoch). */
export type MessageRef = { readonly msgid: string } | { readonly at: number };

/**
 * The messages strictly between two points (either may be open), `limit` of them counted from one end. Every
 * CHATHISTORY subcommand comes down to one or two of these.
 */
export interface HistoryRange {
  readonly after?: MessageRef | undefined;
  readonly before?: MessageRef | undefined;
  readonly limit: number;
  /** Count from the oldest message after `after`, or back from the newest before `before`. */
  readonly from: 'oldest' | 'newest';
}

/**
 * What CHATHISTORY asks of a store. Results are oldest first, in the order the messages were kept; a msgid the
 * channel does not hold matches nothing, so a range bounded by one is empty.
 */
export interface HistoryQueries<M> {
  /** The channel's message with this msgid. */
  find(channelKey: string, msgid: string): M | undefined;
  range(channelKey: string, range: HistoryRange): M[];
}

/** `range` over one channel's messages (oldest first) in memory: the memory store's answer, the same as SQLite's. */
export function rangeOf<M extends { readonly msgid: string | null; readonly at: number }>(
  list: readonly M[],
  { after, before, limit, from }: HistoryRange,
): M[] {
  if (limit <= 0) return [];
  let start = 0;
  let end = list.length;
  if (after !== undefined && 'msgid' in after) {
    start = list.findIndex((message) => message.msgid === after.msgid) + 1;
    if (start === 0) return [];
  }
  if (before !== undefined && 'msgid' in before) {
    end = list.findIndex((message) => message.msgid === before.msgid);
    if (end < 0) return [];
  }
  const afterAt = after !== undefined && 'at' in after ? after.at : -Infinity;
  const beforeAt = before !== undefined && 'at' in before ? before.at : Infinity;
  const inside = list.slice(start, end).filter((message) => message.at > afterAt && message.at < beforeAt);
  return from === 'oldest' ? inside.slice(0, limit) : inside.slice(-limit);
}
