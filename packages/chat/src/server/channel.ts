import { foldCase } from '../protocol/casemap.js';
import type { Connection } from './connection.js';
import { compileMask } from './masks.js';

/** An entry of a list mode: a ban (+b), a ban exception (+e) or an invite exception (+I). */
export interface ListEntry {
  readonly mask: string;
  readonly setBy: string;
  readonly setAt: number;
  /** The case-folded mask, compiled once. */
  readonly matcher: RegExp;
}

export type ListMode = 'b' | 'e' | 'I';

export interface Topic {
  readonly text: string;
  readonly setBy: string;
  readonly setAt: number;
}

export interface Membership {
  op: boolean;
  voice: boolean;
}

/** Flag modes: no CTCP but ACTION, invite-only, moderated, no external messages, secret, topic by operators only. */
export interface ChannelFlags {
  C: boolean;
  i: boolean;
  m: boolean;
  n: boolean;
  s: boolean;
  t: boolean;
}

export const RANK_VOICE = 1;
export const RANK_OP = 2;
export type Rank = 0 | typeof RANK_VOICE | typeof RANK_OP;

/** 2 for an operator, 1 for a voiced member, 0 otherwise: what STATUSMSG and NAMES prefixes go by. */
export function rankOf(membership: Membership | undefined): Rank {
  if (membership === undefined) return 0;
  return membership.op ? RANK_OP : membership.voice ? RANK_VOICE : 0;
}

/** A membership's prefix: the highest status, or with `all` every one, highest first. */
export function statusPrefix(membership: Membership | undefined, all: boolean): string {
  if (membership === undefined) return '';
  if (all) return `${membership.op ? '@' : ''}${membership.voice ? '+' : ''}`;
  return membership.op ? '@' : membership.voice ? '+' : '';
}

/** STATUSMSG: `@#chan` reaches operators, `+#chan` voiced members and operators. Undefined for other targets. */
export function statusTarget(target: string): { readonly rank: number; readonly name: string } | undefined {
  const rank = target.startsWith('@') ? RANK_OP : target.startsWith('+') ? RANK_VOICE : 0;
  return rank === 0 ? undefined : { rank, name: target.slice(1) };
}

/** A channel: its members and their status, its modes, lists and topic. New channels are `+nt`. */
export class Channel {
  /** The case-folded name. */
  readonly key: string;
  readonly members = new Map<Connection, Membership>();
  readonly lists: Readonly<Record<ListMode, ListEntry[]>> = { b: [], e: [], I: [] };
  readonly flags: ChannelFlags = { C: false, i: false, m: false, n: true, s: false, t: true };
  /** +k: the key JOIN must give. */
  joinKey: string | undefined;
  /** +l: at most this many members. */
  limit: number | undefined;
  topic: Topic | undefined;

  constructor(
    readonly name: string,
    readonly createdAt: number,
  ) {
    this.key = foldCase(name);
  }

  isOp(connection: Connection): boolean {
    return this.members.get(connection)?.op === true;
  }

  /** Secret channels (+s) are seen by their members (and server operators) only, in LIST, NAMES and WHOIS. */
  visibleTo(connection: Connection): boolean {
    return !this.flags.s || this.members.has(connection) || connection.isOper;
  }

  /** Matches a ban and no ban exception. */
  isBanned(connection: Connection): boolean {
    if (this.lists.b.length === 0) return false;
    const subjects = prefixesOf(connection);
    return subjects.some((s) => matchesAny(this.lists.b, s)) && !subjects.some((s) => matchesAny(this.lists.e, s));
  }

  isInviteException(connection: Connection): boolean {
    return this.lists.I.length !== 0 && prefixesOf(connection).some((s) => matchesAny(this.lists.I, s));
  }

  /**
   * May this connection talk here? Operators and voiced members always may; others not from outside under +n,
   * not under +m, and not while banned. Checked on every channel message: flags first, masks only if there are bans.
   */
  canSend(connection: Connection): boolean {
    const membership = this.members.get(connection);
    if (membership !== undefined && (membership.op || membership.voice)) return true;
    if (membership === undefined && this.flags.n) return false;
    return !this.flags.m && !this.isBanned(connection);
  }

  /**
   * `@` for an operator, `+` for a voiced member, as NAMES, WHO and WHOIS show them; with `all` (the viewer has the
   * multi-prefix capability) every status the member has, highest first: `@+`.
   */
  prefixOf(connection: Connection, all = false): string {
    return statusPrefix(this.members.get(connection), all);
  }

  /** `+lnt 10`, or `+klnt key 10` when the key may be shown, as RPL_CHANNELMODEIS gives them. */
  modeString(showKey: boolean): string[] {
    let modes = '+';
    for (const letter of FLAG_ORDER) if (this.flags[letter]) modes += letter;
    const args: string[] = [];
    if (this.limit !== undefined) {
      modes += 'l';
      args.push(String(this.limit));
    }
    // The key comes last, so that leaving its value out for non-members shifts no other parameter.
    if (this.joinKey !== undefined) {
      modes += 'k';
      if (showKey) args.push(this.joinKey);
    }
    return [modes, ...args];
  }
}

export function listEntry(mask: string, setBy: string, setAt: number): ListEntry {
  return { mask, setBy, setAt, matcher: compileMask(foldCase(mask)) };
}

const FLAG_ORDER: readonly (keyof ChannelFlags)[] = ['C', 'i', 'm', 'n', 's', 't'];

/** What masks are matched against, case-folded: `nick!user@host`, and `nick!user@address` if CHGHOST changed the host. */
function prefixesOf(connection: Connection): string[] {
  const shown = foldCase(connection.prefix);
  return connection.host === connection.ip ? [shown] : [shown, foldCase(connection.addressPrefix)];
}

function matchesAny(list: readonly ListEntry[], subject: string): boolean {
  for (const entry of list) if (entry.matcher.test(subject)) return true;
  return false;
}
