import { foldCase } from '../../protocol/casemap.js';
import { KEY_MAX, LIST_ENTRIES_MAX, MODE_CHANGES_MAX } from '../../protocol/isupport.js';
import {
  formatModeChanges,
  LIST_MODES,
  PREFIX_MODES,
  parseModeString,
  type ModeItem,
} from '../../protocol/mode-string.js';
import { ERR, RPL } from '../../protocol/numerics.js';
import { listEntry, type Channel, type ChannelFlags, type ListMode } from '../channel.js';
import type { Connection } from '../connection.js';
import type { ServerContext } from '../context.js';
import { normalizeMask } from '../masks.js';

/**
 * `MODE #chan [modestring [args…]]`. Without a modestring: 324 and 329. Otherwise each letter in turn: unknown ones
 * get 472, lists without a parameter are listed (once per letter), and changes need channel (or server) operator
 * status: without it the whole command gets one 482 and nothing changes. Applied changes go to the channel as one
 * MODE line; changes that change nothing are left out.
 */
export function channelMode(context: ServerContext, connection: Connection, name: string, args: readonly string[]) {
  const channel = context.registry.findChannel(name);
  if (!channel) return context.reply(connection, ERR.NOSUCHCHANNEL, name, 'No such channel');
  const modestring = args[0];
  if (modestring === undefined) return sendModeIs(context, connection, channel);
  const items = parseModeString(modestring, args.slice(1));
  const privileged = channel.isOp(connection) || connection.isOper;
  if (!privileged && items.some(isChange)) {
    return context.reply(connection, ERR.CHANOPRIVSNEEDED, channel.name, "You're not channel operator");
  }
  const applied: ModeItem[] = [];
  const listed = new Set<string>();
  let withParam = 0;
  for (const item of items) {
    if (item.unknown) {
      context.reply(connection, ERR.UNKNOWNMODE, item.letter, 'is unknown mode char to me');
    } else if (isListQuery(item)) {
      // Once per letter: `MODE #c bbbbbbbb…` must not multiply the reply.
      if (!listed.has(item.letter)) sendList(context, connection, channel, item.letter as ListMode);
      listed.add(item.letter);
    } else if (isChange(item) && (item.arg === undefined || ++withParam <= MODE_CHANGES_MAX)) {
      const change = apply(context, connection, channel, item);
      if (change) applied.push(change);
    }
  }
  announce(context, connection, channel, applied);
}

function isListQuery(item: ModeItem): boolean {
  return LIST_MODES.includes(item.letter) && item.arg === undefined;
}

/** A letter that would change something: known, and with the parameter it needs. `-k` needs none. */
function isChange(item: ModeItem): boolean {
  if (item.unknown || isListQuery(item)) return false;
  if (PREFIX_MODES.includes(item.letter)) return item.arg !== undefined;
  if (item.sign === '+' && (item.letter === 'k' || item.letter === 'l')) return item.arg !== undefined;
  return true;
}

/** Apply one change; the change as announced, or undefined when it changed nothing or was refused. */
function apply(context: ServerContext, by: Connection, channel: Channel, item: ModeItem): ModeItem | undefined {
  const { sign, letter, arg = '' } = item;
  const on = sign === '+';
  switch (letter) {
    case 'k':
      if (!on) {
        if (channel.joinKey === undefined) return undefined;
        channel.joinKey = undefined;
        return { sign, letter, arg: '*' };
      }
      if (!isValidKey(arg)) return invalid(context, by, channel, letter, '*', 'Invalid key');
      if (channel.joinKey === arg) return undefined;
      channel.joinKey = arg;
      return { sign, letter, arg };
    case 'l': {
      if (!on) {
        if (channel.limit === undefined) return undefined;
        channel.limit = undefined;
        return { sign, letter };
      }
      const limit = /^[0-9]{1,10}$/.test(arg) ? Number(arg) : 0;
      if (limit < 1 || limit > LIMIT_MAX) return invalid(context, by, channel, letter, arg, 'Invalid limit');
      if (channel.limit === limit) return undefined;
      channel.limit = limit;
      return { sign, letter, arg: String(limit) };
    }
    case 'o':
    case 'v':
      return setStatus(context, by, channel, item, arg);
    case 'b':
    case 'e':
    case 'I':
      return setListEntry(context, by, channel, item, arg);
    default: {
      const flag = letter as keyof ChannelFlags;
      if (channel.flags[flag] === on) return undefined;
      channel.flags[flag] = on;
      return { sign, letter };
    }
  }
}

/** ERR_INVALIDMODEPARAM (696), as Modern IRC recommends for a key or limit the server will not take. */
function invalid(context: ServerContext, by: Connection, channel: Channel, letter: string, arg: string, why: string) {
  context.reply(by, ERR.INVALIDMODEPARAM, channel.name, letter, printable(arg), why);
  return undefined;
}

function setStatus(context: ServerContext, by: Connection, channel: Channel, item: ModeItem, nick: string) {
  const target = context.registry.findNick(nick);
  if (!target?.registered) {
    context.reply(by, ERR.NOSUCHNICK, printable(nick), 'No such nick/channel');
    return undefined;
  }
  const membership = channel.members.get(target);
  if (!membership) {
    context.reply(by, ERR.USERNOTINCHANNEL, target.target, channel.name, "They aren't on that channel");
    return undefined;
  }
  const on = item.sign === '+';
  const field = item.letter === 'o' ? 'op' : 'voice';
  if (membership[field] === on) return undefined;
  membership[field] = on;
  return { sign: item.sign, letter: item.letter, arg: target.target };
}

function setListEntry(context: ServerContext, by: Connection, channel: Channel, item: ModeItem, raw: string) {
  if (raw === '' || raw.includes(' ') || raw.startsWith(':')) return undefined;
  const list = channel.lists[item.letter as ListMode];
  const mask = normalizeMask(raw);
  const index = list.findIndex((entry) => foldCase(entry.mask) === foldCase(mask));
  if (item.sign === '-') {
    if (index === -1) return undefined;
    const [removed] = list.splice(index, 1);
    return { sign: item.sign, letter: item.letter, arg: removed!.mask };
  }
  if (index !== -1) return undefined;
  if (list.length >= LIST_ENTRIES_MAX) {
    context.reply(by, ERR.BANLISTFULL, channel.name, item.letter, 'Channel list is full');
    return undefined;
  }
  list.push(listEntry(mask, by.target, context.clock.now()));
  return { sign: item.sign, letter: item.letter, arg: mask };
}

/** One MODE line to the channel, or more if the changes would not fit in 512 bytes. */
function announce(context: ServerContext, by: Connection, channel: Channel, applied: readonly ModeItem[]): void {
  const room = 450 - by.prefix.length - channel.name.length;
  let batch: ModeItem[] = [];
  let size = 0;
  const flush = () => {
    if (batch.length === 0) return;
    context.delivery.toChannel(channel, context.from(by, 'MODE', channel.name, ...formatModeChanges(batch)));
    batch = [];
    size = 0;
  };
  for (const change of applied) {
    const cost = 3 + Buffer.byteLength(change.arg ?? '');
    if (size + cost > room) flush();
    batch.push(change);
    size += cost;
  }
  flush();
}

export function sendModeIs(context: ServerContext, connection: Connection, channel: Channel): void {
  // The key is for members (and server operators); others see that there is one, not what it is.
  const showKey = channel.members.has(connection) || connection.isOper;
  context.reply(connection, RPL.CHANNELMODEIS, channel.name, ...channel.modeString(showKey));
  context.reply(connection, RPL.CREATIONTIME, channel.name, String(Math.floor(channel.createdAt / 1000)));
}

const LIST_REPLIES: Readonly<Record<ListMode, readonly [string, string, string]>> = {
  b: [RPL.BANLIST, RPL.ENDOFBANLIST, 'End of channel ban list'],
  e: [RPL.EXCEPTLIST, RPL.ENDOFEXCEPTLIST, 'End of channel exception list'],
  I: [RPL.INVEXLIST, RPL.ENDOFINVEXLIST, 'End of channel invite exception list'],
};

function sendList(context: ServerContext, connection: Connection, channel: Channel, letter: ListMode): void {
  const [entryNumeric, endNumeric, endText] = LIST_REPLIES[letter];
  for (const { mask, setBy, setAt } of channel.lists[letter]) {
    context.reply(connection, entryNumeric, channel.name, mask, setBy, String(Math.floor(setAt / 1000)));
  }
  context.reply(connection, endNumeric, channel.name, endText);
}

/** Keys are 1 to KEYLEN printable ASCII characters, without the space, comma and colon that JOIN would misread. */
function isValidKey(key: string): boolean {
  return key.length >= 1 && key.length <= KEY_MAX && /^[\x21-\x7e]+$/.test(key) && !/[,:]/.test(key);
}

/** A parameter echoed in a reply, where a space or a leading colon would break the line. */
function printable(arg: string): string {
  return arg === '' || arg.includes(' ') || arg.startsWith(':') ? '*' : arg;
}

/** The largest +l the server takes. */
const LIMIT_MAX = 2 ** 31 - 1;
