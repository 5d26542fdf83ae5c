import { count, desc, eq } from 'drizzle-orm';
import type { ActivityRepository } from '../store.js';
import { decodeActivity, encodeDetail, offsetOf } from '../rows.js';
import { readPage, type Db } from './connection.js';
import { activity } from './schema.js';

export function createActivityRepository(db: Db): ActivityRepository {
  return {
    async record(entry) {
      await db.insert(activity).values({ ...entry, detail: encodeDetail(entry.detail) });
    },
    async list(filter) {
      const where = filter.action === undefined ? undefined : eq(activity.action, filter.action);
      const page = await readPage(
        db.select().from(activity).where(where).orderBy(desc(activity.id)).limit(filter.limit).offset(offsetOf(filter)),
        db.select({ n: count() }).from(activity).where(where),
        filter,
      );
      return { ...page, items: page.items.map(decodeActivity) };
    },
  };
}
