import type { StoredMessage } from '../../db/chat-store.js';
import type { HistoryQueries, MessageRef } from '../../db/history-range.js';
import { CHATHISTORY_MAX } from '../../protocol/isupport.js';
import { ERR } from '../../protocol/numerics.js';
import type { Connection } from '../connection.js';
import type { Handler, ServerContext } from '../context.js';
import type { History } from '../history.js';

type Queries = HistoryQueries<StoredMessage>;

/** Parameters after the subcommand: target, one or two references, limit (TARGETS: no target, two times). */
const ARITY: Readonly<Record<string, number>> = { LATEST: 3, BEFORE: 3, AFTER: 3, AROUND: 3, BETWEEN: 4, TARGETS: 3 };

/** `timestamp=` as the spec writes it (`YYYY-MM-DDThh:mm:ss.sssZ`); the fraction may be shorter or missing. */
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,3})?Z$/;

/**
 * `CHATHISTORY <subcommand> <target> <reference…> <limit>` (IRCv3 draft/chathistory): a channel's stored PRIVMSGs
 * and NOTICEs in a `chathistory` batch, oldest first. Only for clients that negotiated `draft/chathistory` (the
 * spec: it MUST be negotiated); others get 421 as for any command they cannot use. The target must be a channel
 * the client is on (ergo's rule): other channels, and nicks (private messages are never stored), get
 * INVALID_TARGET. A limit of 0 or above `CHATHISTORY=` in 005 means that maximum. A msgid the channel does not
 * hold (never, or no longer) answers an empty batch, as a time before all history does.
 */
export const chathistory: Handler = (context, connection, params) => {
  if (!connection.caps.has('draft/chathistory')) {
    return context.reply(connection, ERR.UNKNOWNCOMMAND, 'CHATHISTORY', 'Unknown command');
  }
  const given = params[0] ?? '*';
  const fail = (code: string, ...rest: string[]) =>
    connection.send(context.server('FAIL', 'CHATHISTORY', code, given, ...rest));
  if (params.length === 0) return fail('NEED_MORE_PARAMS', 'Missing parameters');
  const subcommand = given.toUpperCase();
  const arity = ARITY[subcommand];
  if (arity === undefined) return fail('UNKNOWN_COMMAND', 'Unknown command');
  if (params.length < arity + 1) return fail('NEED_MORE_PARAMS', 'Missing parameters');
  const rest = params.slice(1, arity + 1);
  const target = subcommand === 'TARGETS' ? '' : rest.shift()!;
  const limit = parseLimit(rest.pop() ?? '');
  const refs = rest.map((text) => (subcommand === 'LATEST' && text === '*' ? '*' : parseRef(text)));
  // TARGETS spans times: a msgid belongs to one channel and cannot bound them all.
  const invalid = rest.find((_, i) => refs[i] === undefined || (subcommand === 'TARGETS' && !isTime(refs[i])));
  if (invalid !== undefined) return fail('INVALID_PARAMS', invalid, 'Invalid message reference');
  if (limit === undefined) return fail('INVALID_PARAMS', params[arity]!, 'Invalid limit');
  if (subcommand === 'TARGETS') {
    if (!context.history) return fail('MESSAGE_ERROR', 'History is not kept on this server');
    return sendTargets(context, context.history, connection, refs as { at: number }[], limit);
  }
  const channel = context.registry.findChannel(target);
  if (!channel?.members.has(connection)) return fail('INVALID_TARGET', target, 'Messages could not be retrieved');
  if (!context.history) return fail('MESSAGE_ERROR', channel.name, 'History is not kept on this server');
  const [first, second] = refs as (MessageRef | '*')[];
  const entries = select(context.history.queries, channel.key, subcommand, first!, second, limit);
  context.history.sendBatch(context.server, connection, channel.name, entries);
};

/**
 * `CHATHISTORY TARGETS <time> <time> <limit>`: the client's channels with messages between the two times, each with
 * its latest one's time, oldest first, in a `draft/chathistory-targets` batch; `limit` of them counted from the
 * first time given, as BETWEEN counts. Channels only: private messages are never stored.
 */
function sendTargets(
  context: ServerContext,
  history: History,
  connection: Connection,
  [from = { at: 0 }, to = { at: 0 }]: { at: number }[],
  limit: number,
): void {
  const { queries } = history;
  const [after, before] = from.at <= to.at ? [from, to] : [to, from];
  const latest: { name: string; at: number }[] = [];
  for (const channel of context.registry.channelsOf(connection)) {
    const [last] = queries.range(channel.key, { after, before, limit: 1, from: 'newest' });
    if (last !== undefined) latest.push({ name: channel.name, at: last.at });
  }
  latest.sort((a, b) => a.at - b.at);
  const chosen = from.at <= to.at ? latest.slice(0, limit) : latest.slice(-limit);
  const batch = connection.caps.has('batch') ? history.batchId() : undefined;
  const { name } = context.info;
  if (batch !== undefined) connection.send(context.server('BATCH', `+${batch}`, 'draft/chathistory-targets'));
  for (const target of chosen) {
    const params = ['TARGETS', target.name, new Date(target.at).toISOString()];
    const tags = batch === undefined ? undefined : { batch };
    connection.send(context.outgoing({ ...(tags && { tags }), prefix: name, command: 'CHATHISTORY', params }));
  }
  if (batch !== undefined) connection.send(context.server('BATCH', `-${batch}`));
}

function isTime(ref: MessageRef | '*' | undefined): ref is { at: number } {
  return ref !== undefined && ref !== '*' && 'at' in ref;
}

/** What each subcommand asks for, in ranges of the store (BEFORE, AFTER and BETWEEN exclude their references). */
function select(
  queries: Queries,
  key: string,
  subcommand: string,
  first: MessageRef | '*',
  second: MessageRef | '*' | undefined,
  limit: number,
): StoredMessage[] {
  if (first === '*') return queries.range(key, { limit, from: 'newest' });
  switch (subcommand) {
    case 'LATEST':
      return queries.range(key, { after: first, limit, from: 'newest' });
    case 'BEFORE':
      return queries.range(key, { before: first, limit, from: 'newest' });
    case 'AFTER':
      return queries.range(key, { after: first, limit, from: 'oldest' });
    case 'AROUND':
      return around(queries, key, first, limit);
    default:
      return between(queries, key, first, second as MessageRef, limit);
  }
}

/**
 * Half the limit (rounded down) before the reference, the rest from it on: the referenced message itself, or for a
 * time, messages at or after it. As ergo does, so `AROUND msgid=x 1` is that one message.
 */
function around(queries: Queries, key: string, ref: MessageRef, limit: number): StoredMessage[] {
  const before = queries.range(key, { before: ref, limit: Math.floor(limit / 2), from: 'newest' });
  const left = limit - before.length;
  if ('at' in ref)
    return [...before, ...queries.range(key, { after: { at: ref.at - 1 }, limit: left, from: 'oldest' })];
  const found = queries.find(key, ref.msgid);
  if (found === undefined) return [];
  return [...before, found, ...queries.range(key, { after: ref, limit: left - 1, from: 'oldest' })];
}

/**
 * Between two references, either way round: the limit counts from the first one given (the spec), so
 * `BETWEEN new old 10` is the 10 newest before `new`. Which is older is decided by their times.
 */
function between(queries: Queries, key: string, from: MessageRef, to: MessageRef, limit: number): StoredMessage[] {
  const fromAt = timeOf(queries, key, from);
  const toAt = timeOf(queries, key, to);
  if (fromAt === undefined || toAt === undefined) return [];
  const forward = () => queries.range(key, { after: from, before: to, limit, from: 'oldest' });
  const backward = () => queries.range(key, { after: to, before: from, limit, from: 'newest' });
  if (fromAt !== toAt) return fromAt < toAt ? forward() : backward();
  // Two messages kept in the same millisecond are in the store's order alone: the direction with an answer is it.
  const answer = forward();
  return answer.length > 0 ? answer : backward();
}

function timeOf(queries: Queries, key: string, ref: MessageRef): number | undefined {
  return 'at' in ref ? ref.at : queries.find(key, ref.msgid)?.at;
}

function parseRef(text: string): MessageRef | undefined {
  const [kind, value = ''] = splitOnce(text, '=');
  if (kind === 'msgid' && value !== '') return { msgid: value };
  if (kind !== 'timestamp' || !TIMESTAMP.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : { at };
}

function parseLimit(text: string): number | undefined {
  if (!/^\d{1,9}$/.test(text)) return undefined;
  const limit = Number(text);
  return limit === 0 || limit > CHATHISTORY_MAX ? CHATHISTORY_MAX : limit;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
