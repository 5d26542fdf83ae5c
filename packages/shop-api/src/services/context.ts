import type { PasswordHasher } from '@quartet/core';
import type { Store } from '../db/store.js';
import type { CatalogInvalidation } from '../cache/catalog-cache.js';
import type { Telemetry } from './telemetry.js';

/** What every use case may depend on; built once per app, with the clock injectable for tests. */
export interface ServiceContext {
  store: Store;
  hasher: PasswordHasher;
  clock: () => Date;
  /** An access token for the user at their current token version. */
  signAccessToken: (userId: string, tokenVersion: number) => string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlMs: number;
  idempotency: { ttlMs: number; staleMs: number };
  lowStockThreshold: number;
  /** Counters for monitoring; noTelemetry when there is none. */
  telemetry: Telemetry;
  /** Told after every committed write that changes what the catalog shows (SHOP_REDIS_URL); none by default. */
  catalogCache?: CatalogInvalidation | undefined;
}

/** Who is acting and from where, for the audit log. */
export interface Actor {
  id: string;
  role: 'customer' | 'admin';
  ip: string | null;
}

export function nowIso(ctx: ServiceContext, offsetMs = 0): string {
  return new Date(ctx.clock().getTime() + offsetMs).toISOString();
}

export async function audit(
  ctx: ServiceContext,
  action: string,
  entry: { actorId: string | null; ip: string | null; targetType?: string; targetId?: string; detail?: object },
): Promise<void> {
  await ctx.store.activity.record({
    at: nowIso(ctx),
    action,
    actorId: entry.actorId,
    ip: entry.ip,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    detail: (entry.detail as Record<string, unknown> | undefined) ?? null,
  });
}
