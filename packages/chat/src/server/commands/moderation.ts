import { foldCase, isValidNick } from '../../protocol/casemap.js';
import { describeExpiry, parseDuration } from '../../protocol/duration.js';
import { ERR } from '../../protocol/numerics.js';
import { maskMatches, normalizeMask } from '../masks.js';
import type { Connection } from '../connection.js';
import type { Handler, ServerContext } from '../context.js';
import type { BanRecord, MuteRecord } from '../moderation.js';

/**
 * Server operators' bans and mutes: `BAN <nick|mask> [duration] [reason]`,
 * `UNBAN <mask>`, `BANS`, `MUTE <nick> [duration]`, `UNMUTE <nick>`. They are
 * stored, logged, and sent to the other servers of the network.
 */
export const ban: Handler = (context, connection, params) => {
  if (!isOper(context, connection)) return;
  const mask = foldCase(normalizeMask(params[0] ?? ''));
  const duration = parseDuration(params[1]);
  const reason = (duration ? params.slice(2) : params.slice(1)).join(' ').trim().slice(0, 200) || 'no reason given';
  const record: BanRecord = { mask, reason, ...stamp(context, connection, duration) };
  applyBan(context, record);
  context.network?.ban(record);
  context.log.info({ event: 'ban', by: connection.target, mask, reason, expiresAt: record.expiresAt }, 'ban');
  notice(context, connection, `Banned ${mask} ${describeExpiry(record.expiresAt)} (${reason})`);
};

export const unban: Handler = (context, connection, params) => {
  if (!isOper(context, connection)) return;
  const mask = foldCase(normalizeMask(params[0] ?? ''));
  const removed = context.moderation.unban(mask);
  if (!removed) return notice(context, connection, `No ban on ${mask}`);
  context.network?.unban(mask);
  context.log.info({ event: 'unban', by: connection.target, mask }, 'unban');
  notice(context, connection, `Lifted the ban on ${mask}`);
};

export const bans: Handler = (context, connection) => {
  if (!isOper(context, connection)) return;
  const now = context.clock.now();
  const list = context.moderation.activeBans(now);
  const muted = context.moderation.activeMutes(now);
  for (const entry of list) {
    notice(
      context,
      connection,
      `ban ${entry.mask} by ${entry.setBy} ${describeExpiry(entry.expiresAt)}: ${entry.reason}`,
    );
  }
  for (const entry of muted) {
    notice(context, connection, `mute ${entry.nick} by ${entry.setBy} ${describeExpiry(entry.expiresAt)}`);
  }
  notice(context, connection, `End of bans: ${list.length} ban(s), ${muted.length} mute(s)`);
};

export const mute: Handler = (context, connection, params) => {
  if (!isOper(context, connection)) return;
  const nick = params[0] ?? '';
  if (!isValidNick(nick)) return context.reply(connection, ERR.ERRONEUSNICKNAME, nick, 'Erroneous nickname');
  const duration = parseDuration(params[1]);
  if (params[1] !== undefined && duration === undefined) {
    return notice(context, connection, `"${params[1]}" is not a duration: use 30s, 10m, 2h, 7d, 1w or perm`);
  }
  const record: MuteRecord = { nickKey: foldCase(nick), nick, ...stamp(context, connection, duration) };
  applyMute(context, record);
  context.network?.mute(record);
  context.log.info({ event: 'mute', by: connection.target, nick, expiresAt: record.expiresAt }, 'mute');
  notice(context, connection, `Muted ${nick} ${describeExpiry(record.expiresAt)}`);
};

export const unmute: Handler = (context, connection, params) => {
  if (!isOper(context, connection)) return;
  const nick = params[0] ?? '';
  if (!applyUnmute(context, foldCase(nick))) return notice(context, connection, `${nick} is not muted`);
  context.network?.unmute(foldCase(nick));
  context.log.info({ event: 'unmute', by: connection.target, nick }, 'unmute');
  notice(context, connection, `Unmuted ${nick}`);
};

/** Store the ban and disconnect everyone here it covers; also what a ban from another server does. */
export function applyBan(context: ServerContext, record: BanRecord): void {
  context.moderation.ban(record);
  for (const connection of [...context.registry.connections]) {
    const subjects = [connection.prefix, connection.addressPrefix].map(foldCase);
    if (connection.registered && subjects.some((subject) => maskMatches(record.mask, subject))) {
      context.log.info({ event: 'banned_disconnect', nick: connection.nick, mask: record.mask }, 'banned user removed');
      context.disconnect(connection, `Banned (${record.reason})`);
    }
  }
}

export function applyMute(context: ServerContext, record: MuteRecord): void {
  context.moderation.mute(record);
  const target = context.registry.findNick(record.nick);
  if (target?.registered) {
    notice(
      context,
      target,
      `You have been muted ${describeExpiry(record.expiresAt)}; your messages will not be delivered`,
    );
  }
}

export function applyUnmute(context: ServerContext, nickKey: string): boolean {
  const removed = context.moderation.unmute(nickKey);
  const target = context.registry.findNick(nickKey);
  if (removed && target?.registered) notice(context, target, 'You are no longer muted');
  return removed;
}

/** The refusal a banned user gets at registration, or undefined to let them in. */
export function banRefusal(context: ServerContext, connection: Connection): string | undefined {
  const found = context.moderation.banFor(connection.prefix, context.clock.now());
  return found && `Banned (${found.reason})`;
}

/** Who set it, when, and until when (null: until lifted). */
function stamp(context: ServerContext, by: Connection, duration: { readonly ms: number | null } | undefined) {
  const now = context.clock.now();
  const expiresAt = duration?.ms == null ? null : now + duration.ms;
  return { setBy: by.target, setAt: now, expiresAt };
}

function isOper(context: ServerContext, connection: Connection): boolean {
  if (connection.isOper) return true;
  context.reply(connection, ERR.NOPRIVILEGES, "Permission Denied- You're not an IRC operator");
  return false;
}

function notice(context: ServerContext, connection: Connection, text: string): void {
  connection.send(context.server('NOTICE', connection.target, text));
}
