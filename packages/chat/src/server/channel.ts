import { foldCase } from '../protocol/casemap.js';
import type { Connection } from './connection.js';

export interface Ban {
  readonly mask: string;
  readonly setBy: string;
  readonly setAt: number;
}

export interface Topic {
  readonly text: string;
  readonly setBy: string;
  readonly setAt: number;
}

/** A channel: members with their operator flag, bans and topic. Modes +n and +t are always on. */
export class Channel {
  readonly key: string;
  readonly members = new Map<Connection, { op: boolean }>();
  readonly bans: Ban[] = [];
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

  isBanned(connection: Connection): boolean {
    const subject = foldCase(connection.prefix);
    return this.bans.some((ban) => maskMatches(foldCase(ban.mask), subject));
  }

  /** `@alice bob`, as NAMES shows members. */
  names(): string {
    const names: string[] = [];
    for (const [member, { op }] of this.members) names.push(`${op ? '@' : ''}${member.nick ?? '*'}`);
    return names.join(' ');
  }
}

/** IRC masks: `*` is any run, `?` any one character. `bob` alone means `bob!*@*`. */
export function normalizeMask(mask: string): string {
  if (mask.includes('!') || mask.includes('@')) {
    const [nick = '*', rest = '*@*'] = mask.includes('!') ? splitOnce(mask, '!') : ['*', mask];
    const [user = '*', host = '*'] = rest.includes('@') ? splitOnce(rest, '@') : [rest, '*'];
    return `${nick || '*'}!${user || '*'}@${host || '*'}`;
  }
  return `${mask}!*@*`;
}

export function maskMatches(mask: string, subject: string): boolean {
  const pattern = mask
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${pattern}$`, 's').test(subject);
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return [text.slice(0, at), text.slice(at + 1)];
}
