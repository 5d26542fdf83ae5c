import { foldCase } from '../protocol/casemap.js';

export interface WhowasEntry {
  readonly nick: string;
  readonly user: string;
  readonly host: string;
  readonly realname: string;
  readonly server: string;
  /** When the nick was given up (a nick change or a quit), ms since the epoch. */
  readonly at: number;
}

/**
 * The nicks people gave up lately, for WHOWAS. Bounded in all and per nick, so that someone changing nick in a
 * loop can neither grow it nor push everyone else out of it.
 */
export class WhowasHistory {
  /** Oldest first. A plain array: at this size a scan costs microseconds, and WHOWAS is rare. */
  private readonly entries: (WhowasEntry & { readonly key: string })[] = [];

  constructor(
    private readonly maxEntries = 1000,
    private readonly maxPerNick = 10,
  ) {}

  add(entry: WhowasEntry): void {
    const key = foldCase(entry.nick);
    this.entries.push({ ...entry, key });
    let same = 0;
    for (const existing of this.entries) if (existing.key === key) same += 1;
    if (same > this.maxPerNick) {
      const oldest = this.entries.findIndex((e) => e.key === key);
      this.entries.splice(oldest, 1);
    }
    if (this.entries.length > this.maxEntries) this.entries.shift();
  }

  /** The newest `limit` entries for each of these nicks, all of them newest first. */
  find(nicks: readonly string[], limit: number): WhowasEntry[] {
    const left = new Map(nicks.map((nick) => [foldCase(nick), limit]));
    const found: WhowasEntry[] = [];
    for (let at = this.entries.length - 1; at >= 0; at -= 1) {
      const entry = this.entries[at]!;
      const wanted = left.get(entry.key);
      if (wanted === undefined || wanted === 0) continue;
      found.push(entry);
      left.set(entry.key, wanted - 1);
    }
    return found;
  }
}
