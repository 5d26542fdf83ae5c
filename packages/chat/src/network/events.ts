import type { Message } from '../protocol/message.js';
import type { BanRecord, MuteRecord } from '../server/moderation.js';

/** A user as their own server describes them to the others. */
export interface UserInfo {
  readonly nick: string;
  readonly user: string;
  readonly host: string;
  readonly realname: string;
  readonly isOper: boolean;
  /** The account they are logged in to; absent when none. */
  readonly account?: string;
  /** Their AWAY message; absent when they are here. */
  readonly away?: string;
  /** [channel name, is channel operator] */
  readonly channels: readonly (readonly [string, boolean])[];
}

/**
 * What servers tell each other over one Pub/Sub channel. Every event names
 * the node that sent it and that node's server name; a node ignores its own.
 */
export type NetworkEvent = { readonly node: string; readonly server: string } & (
  | { readonly t: 'hello' }
  | { readonly t: 'state'; readonly users: readonly UserInfo[] }
  | { readonly t: 'alive' }
  | { readonly t: 'bye' }
  | { readonly t: 'up'; readonly user: UserInfo }
  /**
   * A channel message (TAGMSG too), JOIN, PART, KICK, TOPIC or a joiner's AWAY, exactly as local members saw it; or an
   * INVITE to the channel, for its operators with invite-notify.
   */
  | {
      readonly t: 'chan';
      readonly channel: string;
      readonly message: Message;
      readonly at: number;
      /** JOIN only: the joiner became the channel's operator on their server (they created it there). */
      readonly op?: boolean;
    }
  /** QUIT, NICK, AWAY or SETNAME, for everyone who shares a channel with the user. */
  | { readonly t: 'user'; readonly nick: string; readonly message: Message; readonly at: number }
  | { readonly t: 'pm'; readonly to: string; readonly message: Message; readonly at: number }
  | { readonly t: 'kill'; readonly nick: string; readonly by: string; readonly comment: string }
  | { readonly t: 'ban'; readonly ban: BanRecord }
  | { readonly t: 'unban'; readonly mask: string }
  | { readonly t: 'mute'; readonly mute: MuteRecord }
  | { readonly t: 'unmute'; readonly nickKey: string }
);

type Body<T extends NetworkEvent['t']> = Omit<Extract<NetworkEvent, { t: T }>, 'node' | 'server'>;
export type EventBody = { [T in NetworkEvent['t']]: Body<T> }[NetworkEvent['t']];

const KINDS = new Set([
  'hello',
  'state',
  'alive',
  'bye',
  'up',
  'chan',
  'user',
  'pm',
  'kill',
  'ban',
  'unban',
  'mute',
  'unmute',
]);

/** Parse what came off the wire; undefined for anything that is not one of ours. */
export function decodeEvent(text: string): NetworkEvent | undefined {
  try {
    const value = JSON.parse(text) as Partial<NetworkEvent> | null;
    if (!value || typeof value.node !== 'string' || typeof value.server !== 'string') return undefined;
    return typeof value.t === 'string' && KINDS.has(value.t) ? (value as NetworkEvent) : undefined;
  } catch {
    return undefined;
  }
}
