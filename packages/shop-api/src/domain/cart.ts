import type { CartLine, Product } from './types.js';

export type CartChange =
  | { kind: 'ok'; quantity: number }
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
  if (quantity > product.stock) return { kind: 'exceeds_stock', requested: quantity, available: product.stock };
  const other = others.find((line) => line.productId !== product.id && line.currency !== product.currency);
  if (other) return { kind: 'currency_mismatch', cartCurrency: other.currency, productCurrency: product.currency };
  return { kind: 'ok', quantity };
}
