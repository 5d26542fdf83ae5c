import type { CartLine, Product } from './types.js';

/** Most units one cart line may hold, however it is reached (one add is capped by the schema too). */
export const MAX_LINE_QUANTITY = 10_000;
/**
 * Most a cart or an order may be worth, in cents: beyond it, sums of JavaScript numbers round, and
 * PostgreSQL's bigint would be next to overflow. About 90 trillion dollars.
 */
export const MAX_TOTAL_CENTS = Number.MAX_SAFE_INTEGER;

export type CartChange =
  | { kind: 'ok'; quantity: number }
  | { kind: 'line_limit'; requested: number }
  | { kind: 'cart_limit' }
  | { kind: 'not_found' }
  | { kind: 'exceeds_stock'; requested: number; available: number }
  | { kind: 'currency_mismatch'; cartCurrency: string; productCurrency: string };

/**
 * May this cart line hold `quantity` units of `product`? Archived products are
 * as good as unknown. `others` are the cart's other lines, for the currency rule:
 * one order is paid in one currency.
 */
export function decideCartLine(
  product: Product | undefined,
  quantity: number,
  others: readonly CartLine[],
): CartChange {
  if (!product || !product.active) return { kind: 'not_found' };
  if (quantity > MAX_LINE_QUANTITY) return { kind: 'line_limit', requested: quantity };
  if (quantity > product.stock) return { kind: 'exceeds_stock', requested: quantity, available: product.stock };
  const other = others.find((line) => line.productId !== product.id && line.currency !== product.currency);
  if (other) return { kind: 'currency_mismatch', cartCurrency: other.currency, productCurrency: product.currency };
  const rest = others.filter((line) => line.productId !== product.id);
  const worth = rest.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, product.priceCents * quantity);
  if (worth > MAX_TOTAL_CENTS) return { kind: 'cart_limit' };
  return { kind: 'ok', quantity };
}
