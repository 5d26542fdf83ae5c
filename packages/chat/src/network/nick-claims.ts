import type { Redis } from 'ioredis';

// Compare-and-delete / compare-and-extend: a claim is only touched while it is still the caller's own,
// so a server that lost its claim (expired during an outage, then taken) never frees or keeps someone else's.
const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
const REFRESH =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0";

export type ClaimResult = 'claimed' | 'taken';

/**
 * Network-wide nick ownership: one Redis key per case-folded nick, whose value
 * names the owning connection (`node:connection id`) and which expires unless
 * the owner's heartbeat refreshes it.
 */
export class NickClaims {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {}

  async claim(nickKey: string, owner: string): Promise<ClaimResult> {
    const key = this.key(nickKey);
    if ((await this.redis.set(key, owner, 'PX', this.ttlMs, 'NX')) === 'OK') return 'claimed';
    // Already ours (a case-only change, or a re-claim after an outage): keep it.
    return (await this.redis.eval(REFRESH, 1, key, owner, this.ttlMs)) === 1 ? 'claimed' : 'taken';
  }

  async release(nickKey: string, owner: string): Promise<boolean> {
    return (await this.redis.eval(RELEASE, 1, this.key(nickKey), owner)) === 1;
  }

  /** Extend many claims in one round trip; the result says, for each, whether it was still ours. */
  async refresh(claims: readonly { readonly nickKey: string; readonly owner: string }[]): Promise<boolean[]> {
    if (claims.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const claim of claims) pipeline.eval(REFRESH, 1, this.key(claim.nickKey), claim.owner, this.ttlMs);
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, value]) => error === null && value === 1);
  }

  private key(nickKey: string): string {
    return `${this.prefix}nick:${nickKey}`;
  }
}
