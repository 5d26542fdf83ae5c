import { ConflictError } from '@quartet/core';
import { and, asc, count, desc, eq, gt, gte, lte, sql, type SQL } from 'drizzle-orm';
import type { Product } from '../../domain/types.js';
import { offsetOf, searchWords } from '../rows.js';
import type { ProductRepository, ProductSort } from '../store.js';
import { isUniqueViolation } from '@quartet/core/pg';
import type { Db } from './connection.js';
import { products } from './schema.js';

/**
 * A tsquery in which every typed word must appear as a prefix ("blue sho" finds "Blue Shoes"),
 * with diacritics stripped as products_document() strips them. The words hold only letters and
 * digits, so tsquery operators in the input are dropped and can never make the query invalid.
 */
export function tsQuery(input: string): string {
  return searchWords(input)
    .map((word) => `${word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()}:*`)
    .join(' & ');
}

/** Must match the expression of products_search_idx (migration 0001) for the GIN index to answer. */
const document = sql`products_document(${products.name}, ${products.description})`;

const ORDER_BY: Record<ProductSort, SQL[]> = {
  price: [asc(products.priceCents), asc(products.id)],
  '-price': [desc(products.priceCents), desc(products.id)],
  name: [asc(products.name), asc(products.id)],
  '-name': [desc(products.name), desc(products.id)],
  newest: [desc(products.createdAt), desc(products.id)],
};

export function createProductRepository(db: Db): ProductRepository {
  const byId = async (id: string) => (await db.select().from(products).where(eq(products.id, id)))[0];

  return {
    async create(product) {
      try {
        await db.insert(products).values(product);
      } catch (error) {
        throw skuConflict(error);
      }
      return product;
    },
    findById: byId,
    async search(filter) {
      const page = { items: [] as Product[], total: 0, page: filter.page, limit: filter.limit };
      const match = filter.q === undefined ? undefined : tsQuery(filter.q);
      if (match === '') return page; // nothing searchable in q (only punctuation): nothing matches
      const query = match === undefined ? undefined : sql`to_tsquery('simple', ${match})`;
      const conditions: (SQL | undefined)[] = [eq(products.active, true)];
      if (query) conditions.push(sql`${document} @@ ${query}`);
      if (filter.category !== undefined) conditions.push(eq(products.category, filter.category));
      if (filter.minPriceCents !== undefined) conditions.push(gte(products.priceCents, filter.minPriceCents));
      if (filter.maxPriceCents !== undefined) conditions.push(lte(products.priceCents, filter.maxPriceCents));
      if (filter.inStock) conditions.push(gt(products.stock, 0));
      const where = and(...conditions);
      const [total] = await db.select({ n: count() }).from(products).where(where);
      page.total = total?.n ?? 0;
      if (page.total === 0) return page;
      const orderBy =
        filter.sort !== undefined || !query
          ? ORDER_BY[filter.sort ?? 'newest']
          : [sql`ts_rank(${document}, ${query}) DESC`, asc(products.id)];
      page.items = await db
        .select()
        .from(products)
        .where(where)
        .orderBy(...orderBy)
        .limit(filter.limit)
        .offset(offsetOf(filter));
      return page;
    },
    async categories() {
      return db
        .select({ name: products.category, productCount: count() })
        .from(products)
        .where(eq(products.active, true))
        .groupBy(products.category)
        .orderBy(asc(products.category));
    },
    async update(id, patch, now) {
      try {
        await db
          .update(products)
          .set({ ...patch, updatedAt: now })
          .where(eq(products.id, id));
      } catch (error) {
        throw skuConflict(error);
      }
      return byId(id);
    },
    async insertMissing(list) {
      if (list.length === 0) return 0;
      const inserted = await db
        .insert(products)
        .values([...list])
        .onConflictDoNothing({ target: products.sku })
        .returning({ id: products.id });
      return inserted.length;
    },
  };
}

function skuConflict(error: unknown): unknown {
  return isUniqueViolation(error, 'products_sku_unique')
    ? new ConflictError('sku is already in use', 'SKU_TAKEN')
    : error;
}
