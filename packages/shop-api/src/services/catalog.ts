import { randomUUID } from 'node:crypto';
import { NotFoundError } from '@quartet/core';
import type { ProductFilter, ProductPatch } from '../db/store.js';
import type { Product } from '../domain/types.js';
import { audit, nowIso, type Actor, type ServiceContext } from './context.js';

export type NewProduct = Omit<Product, 'id' | 'createdAt' | 'updatedAt'>;

export function createCatalogService(ctx: ServiceContext) {
  const { store } = ctx;

  async function update(actor: Actor, id: string, patch: ProductPatch, action: string): Promise<Product> {
    const product = await store.products.update(id, patch, nowIso(ctx));
    if (!product) throw productNotFound();
    await ctx.catalogCache?.invalidate();
    await audit(ctx, action, { actorId: actor.id, ip: actor.ip, targetType: 'product', targetId: id, detail: patch });
    return product;
  }

  return {
    list: (filter: ProductFilter) => store.products.search(filter),
    categories: () => store.products.categories(),

    /** Archived products are gone as far as shoppers are concerned. */
    async get(id: string): Promise<Product> {
      const product = await store.products.findById(id);
      if (!product?.active) throw productNotFound();
      return product;
    },

    async create(actor: Actor, input: NewProduct): Promise<Product> {
      const now = nowIso(ctx);
      const product = await store.products.create({ ...input, id: randomUUID(), createdAt: now, updatedAt: now });
      await ctx.catalogCache?.invalidate();
      await audit(ctx, 'product.created', {
        actorId: actor.id,
        ip: actor.ip,
        targetType: 'product',
        targetId: product.id,
        detail: { sku: product.sku },
      });
      return product;
    },

    update: (actor: Actor, id: string, patch: ProductPatch) => update(actor, id, patch, 'product.updated'),

    /** Archiving hides the product and keeps it for the orders that reference it. */
    archive: (actor: Actor, id: string) => update(actor, id, { active: false }, 'product.archived'),
  };
}

function productNotFound(): NotFoundError {
  return new NotFoundError('product not found', 'PRODUCT_NOT_FOUND');
}
