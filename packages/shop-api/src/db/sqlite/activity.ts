/* eslint-disable @typescript-eslint/require-await -- the Store interface is async for drivers that are; better-sqlite3 answers synchronously. */
import { count, desc, eq, sql } from 'drizzle-orm';
import type { ActivityRepository } from '../store.js';
import { activity } from './schema.js';
import { decodeActivity, encodeDetail } from '../rows.js';
import { readPage, type Db } from './connection.js';
import type { WriteBatch } from './write-batch.js';

export function createActivityRepository(db: Db, batch: WriteBatch): ActivityRepository {
  const insert = db
    .insert(activity)
    .values({
      at: sql.placeholder('at'),
      action: sql.placeholder('action'),
      actorId: sql.placeholder('actorId'),
      targetType: sql.placeholder('targetType'),
      targetId: sql.placeholder('targetId'),
      ip: sql.placeholder('ip'),
      detail: sql.placeholder('detail'),
    })
    .prepare();
  const lists = [false, true].map((byAction) => {
    const where = byAction ? eq(activity.action, sql.placeholder('action')) : undefined;
    return {
      rows: db
        .select()
        .from(activity)
        .where(where)
        .orderBy(desc(activity.id))
        .limit(sql.placeholder('limit'))
        .offset(sql.placeholder('offset'))
        .prepare(),
      total: db.select({ n: count() }).from(activity).where(where).prepare(),
    };
  });

  return {
    async record(entry) {
      const row = { ...entry, detail: encodeDetail(entry.detail) };
      await batch(() => insert.run(row));
    },
    async list(filter) {
      const q = lists[filter.action === undefined ? 0 : 1]!;
      const page = readPage(q, { action: filter.action }, filter);
      return { ...page, items: page.items.map(decodeActivity) };
    },
  };
}
