import { sql, type Column, type SQL } from 'drizzle-orm';

/*
 * Selections both dialects make, written once over either dialect's tables (the generics keep
 * each dialect's column types), so that a cart line or an order item reads back alike everywhere.
 */

type Columns<K extends string> = Record<K, Column>;

export function cartLineColumns<
  C extends Columns<'productId' | 'quantity'>,
  P extends Columns<'sku' | 'name' | 'priceCents' | 'currency' | 'stock' | 'active'>,
>(
  cartItems: C,
  products: P,
): {
  productId: C['productId'];
  sku: P['sku'];
  name: P['name'];
  unitPriceCents: P['priceCents'];
  currency: P['currency'];
  quantity: C['quantity'];
  stock: P['stock'];
  active: P['active'];
} {
  return {
    productId: cartItems.productId,
    sku: products.sku,
    name: products.name,
    unitPriceCents: products.priceCents,
    currency: products.currency,
    quantity: cartItems.quantity,
    stock: products.stock,
    active: products.active,
  };
}

export function orderItemColumns<I extends Columns<'productId' | 'sku' | 'name' | 'quantity' | 'priceAtPurchaseCents'>>(
  items: I,
): Pick<I, 'productId' | 'sku' | 'name' | 'quantity' | 'priceAtPurchaseCents'> & { lineTotalCents: SQL<number> } {
  return {
    productId: items.productId,
    sku: items.sku,
    name: items.name,
    quantity: items.quantity,
    priceAtPurchaseCents: items.priceAtPurchaseCents,
    // PostgreSQL multiplies into a bigint, which its driver returns as a string.
    lineTotalCents: sql<number>`${items.quantity} * ${items.priceAtPurchaseCents}`.mapWith(Number),
  };
}

export function statusChangeColumns<H extends Columns<'fromStatus' | 'toStatus' | 'actorId' | 'at'>>(
  history: H,
): { from: H['fromStatus']; to: H['toStatus']; actorId: H['actorId']; at: H['at'] } {
  return { from: history.fromStatus, to: history.toStatus, actorId: history.actorId, at: history.at };
}
