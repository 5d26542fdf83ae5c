import type { BanRecord, ChatStore, MuteRecord } from '../db/chat-store.js';
import { foldCase } from '../protocol/casemap.js';
import { maskMatches } from './masks.js';

export type { BanRecord, MuteRecord } from '../db/chat-store.js';

/**
 * Server-wide bans (by `nick!user@host` mask) and mutes (by nick), held in
 * memory for the hot path and written through to the store so that they
 * survive a restart. Expired entries simply stop matching.
 */
export class Moderation {
  private readonly bans = new Map<string, BanRecord>();
  private readonly mutes = new Map<string, MuteRecord>();

  constructor(
    private readonly store: ChatStore | undefined,
    now: number,
  ) {
    for (const ban of store?.activeBans(now) ?? []) this.bans.set(ban.mask, ban);
    for (const mute of store?.activeMutes(now) ?? []) this.mutes.set(mute.nickKey, mute);
  }

  ban(record: BanRecord): void {
    this.bans.set(record.mask, record);
    this.store?.putBan(record);
  }

  unban(mask: string): boolean {
    this.store?.removeBan(mask);
    return this.bans.delete(mask);
  }

  /** The ban that covers this `nick!user@host`, if any is in force. */
  banFor(prefix: string, now: number): BanRecord | undefined {
    const subject = foldCase(prefix);
    for (const ban of this.bans.values()) {
      if (inForce(ban, now) && maskMatches(ban.mask, subject)) return ban;
    }
    return undefined;
  }

  activeBans(now: number): BanRecord[] {
    return [...this.bans.values()].filter((ban) => inForce(ban, now));
  }

  mute(record: MuteRecord): void {
    this.mutes.set(record.nickKey, record);
    this.store?.putMute(record);
  }

  unmute(nickKey: string): boolean {
    this.store?.removeMute(nickKey);
    return this.mutes.delete(nickKey);
  }

  muteFor(nick: string | undefined, now: number): MuteRecord | undefined {
    if (nick === undefined) return undefined;
    const mute = this.mutes.get(foldCase(nick));
    return mute && inForce(mute, now) ? mute : undefined;
  }

  activeMutes(now: number): MuteRecord[] {
    return [...this.mutes.values()].filter((mute) => inForce(mute, now));
  }
}

function inForce(entry: { readonly expiresAt: number | null }, now: number): boolean {
  return entry.expiresAt === null || entry.expiresAt > now;
}
