import type { Store } from './store.js';

type AnyFn = (...args: never[]) => Promise<unknown>;

/**
 * Pass every error a store method throws through `translate` (a driver's
 * connection errors become core's UnavailableError), so that routes and
 * services see the same error kinds whatever the dialect.
 */
export function guardStore(store: Store, translate: (error: unknown) => unknown): Store {
  const wrap = <T extends object>(target: T): T => {
    const wrapped: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(target)) {
      wrapped[name] =
        typeof value === 'function'
          ? (...args: never[]) =>
              (value as AnyFn).apply(target, args).catch((error: unknown) => {
                throw translate(error);
              })
          : value;
    }
    return wrapped as T;
  };
  return {
    ...wrap(store),
    users: wrap(store.users),
    tokens: wrap(store.tokens),
    products: wrap(store.products),
    carts: wrap(store.carts),
    orders: wrap(store.orders),
    coupons: wrap(store.coupons),
    idempotency: wrap(store.idempotency),
    activity: wrap(store.activity),
    reports: wrap(store.reports),
  };
}
