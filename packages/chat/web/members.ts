import { foldCase } from '../src/protocol/casemap.js';
import { prefixNick } from '../src/protocol/message.js';
import { parseModeString } from '../src/protocol/mode-string.js';

/**
 * A channel's members: nick → every status they hold, highest first (`@+` for an operator who is also voiced, as
 * multi-prefix reports it), so that taking one away leaves the other.
 */
export type Members = Map<string, string>;

const STATUS_ORDER = '@+';
const STATUS_OF_MODE: Readonly<Record<string, string>> = { o: '@', v: '+' };

/** `@+alice` or `bob!bob@host` (userhost-in-names) from a 353 reply: the nick and its statuses. */
export function parseNamesEntry(entry: string): [nick: string, status: string] {
  const status = /^[@+]*/.exec(entry)![0];
  return [prefixNick(entry.slice(status.length)), ordered(status)];
}

/** Apply `MODE #chan +o-v alice bob`: only the membership modes (o, v) change anything here. */
export function applyMemberModes(members: Members, modestring: string, args: readonly string[]): void {
  for (const { sign, letter, arg } of parseModeString(modestring, args)) {
    const symbol = STATUS_OF_MODE[letter];
    if (symbol === undefined || arg === undefined) continue;
    const nick = [...members.keys()].find((known) => foldCase(known) === foldCase(arg));
    if (nick === undefined) continue;
    const current = members.get(nick)!.replace(symbol, '');
    members.set(nick, sign === '+' ? ordered(current + symbol) : current);
  }
}

/** Members in display order: operators, voiced, then the rest, each alphabetically; with their highest status. */
export function sortedMembers(members: ReadonlyMap<string, string>): [nick: string, status: string][] {
  const rank = (status: string) => (status === '' ? STATUS_ORDER.length : STATUS_ORDER.indexOf(status[0]!));
  return [...members]
    .map(([nick, status]): [string, string] => [nick, status.slice(0, 1)])
    .sort(([a, sa], [b, sb]) => rank(sa) - rank(sb) || foldCase(a).localeCompare(foldCase(b)));
}

function ordered(status: string): string {
  return [...STATUS_ORDER].filter((symbol) => status.includes(symbol)).join('');
}
