import { randomUUID } from 'node:crypto';
import { drizzle } from 'drizzle-orm/node-postgres';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { createPool } from '../src/db/pg/connection.js';
import { schema } from '../src/db/pg/schema.js';
import { openPgStore } from '../src/db/pg/store.js';
import { createUserCache } from '../src/db/pg/user-cache.js';
import { createUserRepository } from '../src/db/pg/users.js';
import type { UserWithHash } from '../src/domain/types.js';
import { admin, createSchema, dropSchema, PG_POOL, postgres, schemaUrl } from './support/pg.js';

/** Two processes' worth of user repositories on one schema: `a` is a whole store, `b` a repository with its cache. */
async function twoInstances(retryMs = 50) {
  const name = await createSchema();
  onTestFinished(async () => {
    await dropSchema(name);
  });
  const a = await openPgStore({ url: schemaUrl(name), pool: PG_POOL });
  onTestFinished(() => a.close());
  // B's connections go by a name of their own, so that the test can find (and cut) B's listener.
  const bUrl = new URL(schemaUrl(name));
  bUrl.searchParams.set('application_name', `${name}_b`);
  const url = bUrl.href;
  const pool = createPool(url, PG_POOL);
  const cache = createUserCache(url, { connectTimeoutMs: 5000, retryMs });
  onTestFinished(async () => {
    await cache.close();
    await pool.end();
  });
  await cache.ready;
  const b = createUserRepository(drizzle(pool, { schema }), cache);
  const now = new Date().toISOString();
  const user: UserWithHash = {
    ...{ id: randomUUID(), email: 'c@example.com', name: 'C', passwordHash: 'x', role: 'customer' as const },
    ...{ active: true, tokenVersion: 0, createdAt: now, updatedAt: now },
  };
  await a.users.create(user);
  let renames = 0;
  /** Rename the user without a notification: only a read from memory misses it. Returns the new name. */
  const renameQuietly = async () => {
    const to = `quiet ${++renames}`;
    await admin(`UPDATE ${name}.users SET name = $1 WHERE id = $2`, [to, user.id]);
    return to;
  };
  return { name, a, b, cache, user, renameQuietly };
}

const LISTENERS = `SELECT pid FROM pg_stat_activity WHERE query = 'LISTEN shop_api_user_changed' AND application_name = $1 || '_b'`;

describe.skipIf(!postgres.available)('the PostgreSQL user cache', () => {
  it('answers repeated reads from memory, and drops a user as soon as another instance changes them', async () => {
    const { a, b, user, renameQuietly } = await twoInstances();
    expect(await b.session(user.id)).toMatchObject({ id: user.id, name: 'C', active: true, tokenVersion: 0 });
    // No notification: the second read still says 'C', which proves that it made no query.
    const renamed = await renameQuietly();
    expect((await b.session(user.id))?.name).toBe('C');

    await a.users.update(user.id, { active: false, endAccessTokens: true }, new Date().toISOString());
    await vi.waitFor(async () => {
      expect(await b.session(user.id)).toMatchObject({ name: renamed, active: false, tokenVersion: 1 });
    });
  });

  it('serves nothing from memory while its LISTEN connection is down, and starts again once it is back', async () => {
    const { name, b, user, renameQuietly } = await twoInstances();
    await b.session(user.id);
    const [listener] = await admin<{ pid: number }>(LISTENERS, [name]);
    await admin('SELECT pg_terminate_backend($1)', [listener?.pid]);
    // Until it listens again, every read goes to the database: a quiet rename shows at once.
    await vi.waitFor(async () => {
      const [current] = await admin<{ pid: number }>(LISTENERS, [name]);
      expect(current?.pid).toBeDefined();
      expect(current?.pid).not.toBe(listener?.pid);
    });
    // Once it listens again (the LISTEN is acknowledged just after it shows), reads are kept again.
    await vi.waitFor(async () => {
      const seen = (await b.session(user.id))?.name;
      const renamed = await renameQuietly();
      expect(seen).not.toBe(renamed);
      expect((await b.session(user.id))?.name).toBe(seen);
    });
  });

  it('reads every time while its listener is down', async () => {
    // It stays down: the retry comes after the test.
    const { name, b, user, renameQuietly } = await twoInstances(60_000);
    await b.session(user.id);
    const [listener] = await admin<{ pid: number }>(LISTENERS, [name]);
    await admin('SELECT pg_terminate_backend($1)', [listener?.pid]);
    // Once the cache has heard its connection close (a moment), every read shows the latest quiet rename.
    const readsLatest = async () => {
      const renamed = await renameQuietly();
      expect((await b.session(user.id))?.name).toBe(renamed);
    };
    await vi.waitFor(readsLatest);
    for (let i = 0; i < 3; i++) await readsLatest();
  });
});
