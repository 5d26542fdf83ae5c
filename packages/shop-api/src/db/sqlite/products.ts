/* eslint-disable @typescript-eslint/require-await -- the Store interface is async for drivers that are; better-sqlite3 answers synchronously. */
import { ConflictError, type SqliteConnection } from '@quartet/core';
import { eq, sql } from 'drizzle-orm';
import type { Page, Product } from '../../domain/types.js';
import type { ProductFilter, ProductRepository } from '../store.js';
import { products } from './schema.js';
import { offsetOf } from '../rows.js';
import { isUniqueViolation, statementCache, type Db } from './connection.js';
import { ftsQuery } from './fts.js';
import type { ReadCache } from './read-cache.js';

const ORDER_BY: Record<string, string> = {
  price: 'p.price_cents ASC, p.id ASC',
  '-price': 'p.price_cents DESC, p.id DESC',
  name: 'p.name ASC, p.id ASC',
  '-name': 'p.name DESC, p.id DESC',
  newest: 'p.created_at DESC, p.id DESC',
  relevance: 'products_fts.rank, p.id ASC',
};

const COLUMNS = `p.id, p.sku, p.name, p.description, p.price_cents AS priceCents, p.currency, p.stock, p.category,
  p.active, p.created_at AS createdAt, p.updated_at AS updatedAt`;

type ProductRow = Omit<Product, 'active'> & { active: number };

export function createProductRepository(db: Db, sqlite: SqliteConnection, cache: ReadCache): ProductRepository {
  const byId = db
    .select()
    .from(products)
    .where(eq(products.id, sql.placeholder('id')))
    .prepare();
  const categories = sqlite.prepare<[], { name: string; productCount: number }>(
    'SELECT category AS name, count(*) AS productCount FROM products WHERE active = 1 GROUP BY category ORDER BY category',
  );
  const shapes = statementCache<ReturnType<typeof prepareSearch>>();

  // The catalog query is built from fixed fragments, one prepared pair per filter shape. It is
  // written in SQL rather than drizzle because it joins the FTS5 table and orders by its rank.
  function prepareSearch(filter: ProductFilter) {
    const where = ['p.active = 1'];
    let from = 'products p';
    if (filter.q !== undefined) {
      from = 'products_fts JOIN products p ON p.id = products_fts.product_id';
      where.push('products_fts MATCH @q');
    }
    if (filter.category !== undefined) where.push('p.category = @category');
    if (filter.minPriceCents !== undefined) where.push('p.price_cents >= @minPriceCents');
    if (filter.maxPriceCents !== undefined) where.push('p.price_cents <= @maxPriceCents');
    if (filter.inStock) where.push('p.stock > 0');
    const order = ORDER_BY[filter.sort ?? (filter.q !== undefined ? 'relevance' : 'newest')];
    const tail = `FROM ${from} WHERE ${where.join(' AND ')}`;
    return {
      rows: sqlite.prepare<Record<string, unknown>, ProductRow>(
        `SELECT ${COLUMNS} ${tail} ORDER BY ${order} LIMIT @limit OFFSET @offset`,
      ),
      total: sqlite.prepare<Record<string, unknown>, { n: number }>(`SELECT count(*) AS n ${tail}`),
    };
  }

  function search(filter: ProductFilter): Page<Product> {
    const page = { items: [] as Product[], total: 0, page: filter.page, limit: filter.limit };
    const match = filter.q === undefined ? undefined : ftsQuery(filter.q);
    if (match === '') return page; // nothing searchable in q (only punctuation): nothing matches
    const key = [
      match !== undefined,
      filter.category !== undefined,
      filter.minPriceCents !== undefined,
      filter.maxPriceCents !== undefined,
      filter.inStock === true,
      filter.sort ?? '',
    ].join(':');
    const q = shapes(key, () => prepareSearch(filter));
    const params: Record<string, unknown> = {};
    if (match !== undefined) params['q'] = match;
    if (filter.category !== undefined) params['category'] = filter.category;
    if (filter.minPriceCents !== undefined) params['minPriceCents'] = filter.minPriceCents;
    if (filter.maxPriceCents !== undefined) params['maxPriceCents'] = filter.maxPriceCents;
    page.total = q.total.get(params)?.n ?? 0;
    if (page.total > 0) {
      page.items = q.rows
        .all({ ...params, limit: filter.limit, offset: offsetOf(filter) })
        .map((row) => ({ ...row, active: row.active === 1 }));
    }
    return page;
  }

  return {
    async create(product) {
      try {
        db.insert(products).values(product).run();
      } catch (error) {
        throw skuConflict(error);
      }
      return product;
    },
    async findById(id) {
      return cache.read(`id:${id}`, () => byId.get({ id }));
    },
    async search(filter) {
      return cache.read(`search:${JSON.stringify(filter)}`, () => search(filter));
    },
    async categories() {
      return categories.all();
    },
    async update(id, patch, now) {
      try {
        db.update(products)
          .set({ ...patch, updatedAt: now })
          .where(eq(products.id, id))
          .run();
      } catch (error) {
        throw skuConflict(error);
      }
      return byId.get({ id });
    },
    async insertMissing(list) {
      let inserted = 0;
      db.transaction(() => {
        for (const product of list) {
          inserted += db.insert(products).values(product).onConflictDoNothing({ target: products.sku }).run().changes;
        }
      });
      return inserted;
    },
  };
}

function skuConflict(error: unknown): unknown {
  return isUniqueViolation(error, 'products.sku') ? new ConflictError('sku is already in use', 'SKU_TAKEN') : error;
}
