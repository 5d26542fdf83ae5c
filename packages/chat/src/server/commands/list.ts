import { foldCase } from '../../protocol/casemap.js';
import { RPL } from '../../protocol/numerics.js';
import type { Channel } from '../channel.js';
import type { Handler } from '../context.js';
import { compileMask } from '../masks.js';

/**
 * LIST, with the ELIST conditions of Modern IRC, comma-separated in the first parameter: channel names, masks
 * (`#ch*`, M), masks to leave out (`!*an1`, N), member counts (`>5`, `<10`, U), and minutes since the channel was
 * created (`C>60`, C) or its topic set (`T<5`, T). Names and masks select (any of them); the rest must all hold.
 * Secret channels (+s) are listed only to their members.
 */
export const list: Handler = (context, connection, params) => {
  const filter = params[0] ? parseConditions(params[0]) : undefined;
  const now = context.clock.now();
  context.reply(connection, RPL.LISTSTART, 'Channel', 'Users  Name');
  for (const channel of context.registry.channels()) {
    if ((filter && !matches(filter, channel, now)) || !channel.visibleTo(connection)) continue;
    context.reply(connection, RPL.LIST, channel.name, String(channel.members.size), channel.topic?.text ?? '');
  }
  context.reply(connection, RPL.LISTEND, 'End of /LIST');
};

interface Conditions {
  readonly names: Set<string>;
  readonly masks: RegExp[];
  readonly without: RegExp[];
  readonly tests: ((channel: Channel, now: number) => boolean)[];
}

function parseConditions(text: string): Conditions {
  const conditions: Conditions = { names: new Set(), masks: [], without: [], tests: [] };
  for (const item of text.split(',')) {
    const compare = /^([CT]?)([<>])(\d+)$/.exec(item);
    if (compare) conditions.tests.push(comparison(compare[1]!, compare[2]!, Number(compare[3])));
    else if (item.startsWith('!')) conditions.without.push(compileMask(foldCase(item.slice(1))));
    else if (/[*?]/.test(item)) conditions.masks.push(compileMask(foldCase(item)));
    else conditions.names.add(foldCase(item));
  }
  return conditions;
}

/** `>5` members; `C<10`: created less than 10 minutes ago; `T>60`: topic set more than an hour ago. */
function comparison(what: string, sign: string, value: number): (channel: Channel, now: number) => boolean {
  const above = sign === '>';
  if (what === '') return (channel) => (above ? channel.members.size > value : channel.members.size < value);
  return (channel, now) => {
    const since = what === 'C' ? channel.createdAt : channel.topic?.setAt;
    if (since === undefined) return false;
    const minutes = (now - since) / 60_000;
    return above ? minutes > value : minutes < value;
  };
}

function matches(filter: Conditions, channel: Channel, now: number): boolean {
  const selecting = filter.names.size > 0 || filter.masks.length > 0;
  if (selecting && !filter.names.has(channel.key) && !filter.masks.some((mask) => mask.test(channel.key))) return false;
  if (filter.without.some((mask) => mask.test(channel.key))) return false;
  return filter.tests.every((test) => test(channel, now));
}
