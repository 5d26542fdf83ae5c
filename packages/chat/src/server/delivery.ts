import { rankOf, type Channel } from './channel.js';
import type { Connection } from './connection.js';
import type { Outgoing } from './outgoing.js';
import type { Registry } from './registry.js';

/**
 * How messages reach people. Everything that fans out goes through here, so a
 * later multi-server setup (publish to other servers, then deliver locally)
 * or history recording can wrap or replace it without touching the commands.
 */
export interface Delivery {
  /** Every member but `except`; with `minRank`, only those of at least that rank (STATUSMSG `@#chan`, `+#chan`). */
  toChannel(channel: Channel, outgoing: Outgoing, except?: Connection, minRank?: number): void;
  toConnection(target: Connection, outgoing: Outgoing): void;
  /** Everyone who shares a channel with `source`, once each, and `source` too when `includeSource`. */
  toNeighbours(source: Connection, outgoing: Outgoing, includeSource: boolean): void;
}

/** Delivery to the connections of this process. */
export function createLocalDelivery(registry: Pick<Registry, 'channelsOf'>): Delivery {
  let visit = 0;
  return {
    toChannel(channel, outgoing, except, minRank) {
      if (minRank === undefined) {
        for (const member of channel.members.keys()) if (member !== except) member.send(outgoing);
        return;
      }
      for (const [member, membership] of channel.members) {
        if (member !== except && rankOf(membership) >= minRank) member.send(outgoing);
      }
    },
    toConnection(target, outgoing) {
      target.send(outgoing);
    },
    toNeighbours(source, outgoing, includeSource) {
      // A visit number instead of a Set: no allocation per broadcast, and each person hears it once.
      const mark = ++visit;
      source.visitMark = mark;
      if (includeSource) source.send(outgoing);
      for (const channel of registry.channelsOf(source)) {
        for (const member of channel.members.keys()) {
          if (member.visitMark === mark) continue;
          member.visitMark = mark;
          member.send(outgoing);
        }
      }
    },
  };
}
