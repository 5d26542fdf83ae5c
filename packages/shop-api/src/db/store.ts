import type { CartChange } from '../domain/cart.js';
import type { CustomerReport, Grouping, SalesRow, TimeRange, TopProduct } from '../domain/reports.js';
import type { CouponInUse, ShortLine } from '../domain/checkout.js';
import type { Coupon, CouponReason } from '../domain/coupon.js';
import type { OrderEvent } from '../domain/order-events.js';
import type {
  ActivityEntry,
  CartLine,
  Order,
  OrderStatus,
  OrderSummary,
  Page,
  PageRequest,
  Product,
  Role,
  SessionUser,
  Stats,
  User,
  UserWithHash,
} from '../domain/types.js';

/**
 * All data access goes through a Store. Routes and services never see SQL; each
 * dialect (sqlite/, pg/) is one implementation of this interface. Every method is
 * async, even though better-sqlite3 is synchronous, because node-postgres is not.
 *
 * Use cases whose read-decide-write must be one transaction (checkout, cart
 * changes against stock, order transitions, token rotation, idempotency claims)
 * are single methods here: each implementation runs them in its own kind of
 * transaction (BEGIN IMMEDIATE on SQLite; row locks taken in a fixed order on
 * PostgreSQL) and decides with the pure rules in domain/.
 */
export interface Store {
  readonly dialect: string;
  /** One-line notices from opening it (a SQLite file others could read was made private), for the entry point to print. */
  readonly warnings: readonly string[];
  users: UserRepository;
  tokens: RefreshTokenRepository;
  products: ProductRepository;
  carts: CartRepository;
  orders: OrderRepository;
  coupons: CouponRepository;
  idempotency: IdempotencyRepository;
  activity: ActivityRepository;
  reports: ReportRepository;
  /** Order events waiting to be published, and the e-mails already sent for them. */
  outbox: OutboxRepository;
  /**
   * Serialized answers to catalog reads, kept while the database is unchanged. Only a store
   * that can tell exactly and cheaply when anything changed offers one (SQLite); without it,
   * callers compute every answer.
   */
  readonly memo?: ReadMemo;
  stats(lowStockThreshold: number): Promise<Stats>;
  /** The connection pool's counts, for monitoring; only a store with a pool (PostgreSQL) has one. */
  poolStats?(): Promise<PoolStats>;
  /** Throws when the database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface PoolStats {
  /** Connections open, busy or idle. */
  total: number;
  idle: number;
  /** Requests waiting for a connection. */
  waiting: number;
}

/**
 * Bytes derived from reads (a serialized catalog page), reused while the database is
 * unchanged: any write, by this process or another, drops them all.
 */
export interface ReadMemo {
  /** What was kept for `key`, if the database has not changed since. */
  get(key: string): Uint8Array | undefined;
  /** The database's state now: take it before reading what `keep` will store. */
  stamp(): number;
  /** Keep `value` for `key`, unless the database changed since `stamp` (then the value may be stale). */
  keep(key: string, value: Uint8Array, stamp: number): void;
}

export interface UserRepository {
  /** Throws ConflictError EMAIL_TAKEN when the email is in use. */
  create(user: UserWithHash): Promise<User>;
  findById(id: string): Promise<User | undefined>;
  findByEmail(email: string): Promise<UserWithHash | undefined>;
  /**
   * The user with their token version, read on every authenticated request. A store may answer
   * from memory, as long as every change to the user, made by any process, is seen on the next call
   * (PostgreSQL: a cache that LISTENs for changes; see pg/user-cache.ts).
   */
  session(id: string): Promise<SessionUser | undefined>;
  list(filter: { role?: Role | undefined; active?: boolean | undefined } & PageRequest): Promise<Page<User>>;
  /** With `endAccessTokens`, the token version moves on in the same statement: every access token issued so far dies. */
  update(id: string, patch: UserPatch, now: string): Promise<User | undefined>;
}

export interface UserPatch {
  role?: Role;
  active?: boolean;
  name?: string;
  passwordHash?: string;
  endAccessTokens?: boolean;
}

export interface NewRefreshToken {
  id: string;
  userId: string;
  familyId: string;
  tokenHash: string;
  expiresAt: string;
  createdAt: string;
}

export type RotateResult =
  | { kind: 'rotated'; userId: string }
  /** The presented token had already been used: its whole family is now revoked. */
  | { kind: 'reused'; userId: string }
  | { kind: 'invalid' };

export interface RefreshTokenRepository {
  create(token: NewRefreshToken): Promise<void>;
  /** Atomically mark `tokenHash` used and store `next` in the same family. */
  rotate(tokenHash: string, next: Omit<NewRefreshToken, 'userId' | 'familyId'>, now: string): Promise<RotateResult>;
  /** Revoke the family `tokenHash` belongs to; its user, or undefined when the token is unknown. */
  revokeFamily(tokenHash: string, now: string): Promise<string | undefined>;
  revokeAllForUser(userId: string, now: string): Promise<void>;
}

export const PRODUCT_SORTS = ['price', '-price', 'name', '-name', 'newest'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

export interface ProductFilter extends PageRequest {
  /** Words to find in name or description (all of them, as prefixes). */
  q?: string | undefined;
  category?: string | undefined;
  minPriceCents?: number | undefined;
  maxPriceCents?: number | undefined;
  inStock?: boolean | undefined;
  /** Without a sort, a search orders by relevance and a listing by newest. */
  sort?: ProductSort | undefined;
}

type EditableProductField =
  'sku' | 'name' | 'description' | 'priceCents' | 'currency' | 'stock' | 'category' | 'active';
/** Fields left undefined are not changed. */
export type ProductPatch = { [K in EditableProductField]?: Product[K] | undefined };

export interface ProductRepository {
  /** Throws ConflictError SKU_TAKEN. */
  create(product: Product): Promise<Product>;
  /** Archived products included: orders and admins still need them. */
  findById(id: string): Promise<Product | undefined>;
  /** Active products only. */
  search(filter: ProductFilter): Promise<Page<Product>>;
  categories(): Promise<{ name: string; productCount: number }[]>;
  /** Throws ConflictError SKU_TAKEN. */
  update(id: string, patch: ProductPatch, now: string): Promise<Product | undefined>;
  /** Insert the products whose sku is new; returns how many were inserted. */
  insertMissing(products: readonly Product[]): Promise<number>;
}

export interface CartRepository {
  lines(userId: string): Promise<CartLine[]>;
  /** Add `quantity` to the line (creating it), checked against stock in one transaction. */
  add(userId: string, productId: string, quantity: number, now: string): Promise<CartChange>;
  /** Set the line's quantity (0 removes it), checked against stock in one transaction. */
  set(userId: string, productId: string, quantity: number, now: string): Promise<CartChange | { kind: 'no_line' }>;
  remove(userId: string, productId: string): Promise<boolean>;
  clear(userId: string): Promise<void>;
}

/** What a finished checkout answered, as stored for idempotent replays. */
export interface StoredResponse {
  status: number;
  /** The JSON body as sent; a status of 400 or more means application/problem+json. */
  body: string;
}

export type CheckoutOutcome =
  | { kind: 'placed'; order: Order }
  | { kind: 'empty' }
  | { kind: 'short'; lines: ShortLine[] }
  | { kind: 'mixed_currency'; currencies: string[] }
  | { kind: 'too_large' }
  /** The cart's coupon stopped applying since it was attached: nothing was written. */
  | { kind: 'coupon_not_applicable'; reason: CouponReason }
  /** The idempotency claim this checkout ran under was taken over: nothing was written. */
  | { kind: 'claim_lost' };

export interface CheckoutInput {
  userId: string;
  orderId: string;
  note: string | null;
  now: string;
  /** When set, the outcome is stored under this claimed key in the same transaction. */
  idempotency?: {
    key: string;
    claim: string;
    encode: (outcome: Exclude<CheckoutOutcome, { kind: 'claim_lost' }>) => StoredResponse;
  };
}

export type TransitionResult =
  | { kind: 'ok'; order: Order }
  | { kind: 'not_found' }
  | { kind: 'invalid_transition'; from: OrderStatus; to: OrderStatus };

export interface OrderRepository {
  /** Re-validate the cart, deduct stock, create the order with its prices, empty the cart: all or nothing. */
  checkout(input: CheckoutInput): Promise<CheckoutOutcome>;
  /** With `userId`, only that user's order is found. */
  find(orderId: string, userId?: string): Promise<Order | undefined>;
  list(filter: { userId?: string; status?: OrderStatus | undefined } & PageRequest): Promise<Page<OrderSummary>>;
  /** Move an order along the state machine as `actor`; cancelling restores stock. */
  transition(input: {
    orderId: string;
    to: OrderStatus;
    actor: { id: string; role: Role };
    /** Restrict to this owner's orders (a customer cancelling). */
    ownerId?: string;
    now: string;
  }): Promise<TransitionResult>;
}

export type ClaimResult =
  | { kind: 'claimed'; claim: string }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'mismatch' }
  | { kind: 'in_flight' };

export interface IdempotencyRepository {
  /**
   * Claim `key` for this request, or report what it already holds. A claim
   * older than `staleBefore` that never completed is taken over: its request
   * died before committing (completion is part of the checkout transaction).
   */
  claim(input: {
    userId: string;
    key: string;
    fingerprint: string;
    claim: string;
    now: string;
    expiresAt: string;
    staleBefore: string;
  }): Promise<ClaimResult>;
  /** Give up an unfinished claim so that the client may retry. */
  release(userId: string, key: string, claim: string): Promise<void>;
  purgeExpired(now: string): Promise<number>;
}

export interface CouponWithRedemptions extends Coupon {
  /** Orders, not cancelled, that used it. */
  redemptions: number;
}

/** Fields left undefined are not changed; null removes a bound. */
export interface CouponPatch {
  active?: boolean | undefined;
  endsAt?: string | null | undefined;
  maxRedemptions?: number | null | undefined;
}

export type CouponUpdate =
  | { kind: 'ok'; coupon: CouponWithRedemptions }
  | { kind: 'not_found' }
  | { kind: 'below_used'; redemptions: number }
  | { kind: 'ends_before_start'; startsAt: string };

export interface CouponRepository {
  /** `coupon.code` upper-case. Throws ConflictError COUPON_CODE_TAKEN. */
  create(coupon: Coupon): Promise<CouponWithRedemptions>;
  find(code: string): Promise<CouponWithRedemptions | undefined>;
  /** Newest first. */
  list(page: PageRequest): Promise<Page<CouponWithRedemptions>>;
  /** Checked against the redemptions made and the start, in one transaction with the change. */
  update(code: string, patch: CouponPatch, now: string): Promise<CouponUpdate>;
  /** `code`'s coupon (undefined when unknown) and how often it was redeemed, by anyone and by `userId`. */
  usage(code: string, userId: string): Promise<CouponInUse>;
  /** The coupon attached to the user's cart, with its usage; undefined when none is. */
  attached(userId: string): Promise<(CouponInUse & { coupon: Coupon }) | undefined>;
  /** Attach `code` (an existing coupon) to the user's cart, replacing any other. */
  attach(userId: string, code: string, now: string): Promise<void>;
  /** False when no coupon was attached. */
  detach(userId: string): Promise<boolean>;
}

export interface ActivityRepository {
  record(entry: Omit<ActivityEntry, 'id'>): Promise<void>;
  list(filter: { action?: string | undefined } & PageRequest): Promise<Page<ActivityEntry>>;
}

/** An outbox event as a relay claimed it: how often it failed before. */
export interface ClaimedEvent extends OrderEvent {
  attempts: number;
}

export interface OutboxRepository {
  /**
   * Claim up to `limit` unpublished events that are due (available_at <= now) and not dead
   * (attempts < maxAttempts), oldest first, and lease them: their available_at moves to
   * `leaseUntil` in the same transaction, so that no other relay claims them until then (a relay
   * that dies holding them gives them back when the lease ends).
   */
  claimDue(input: { now: string; leaseUntil: string; limit: number; maxAttempts: number }): Promise<ClaimedEvent[]>;
  markPublished(id: string, now: string): Promise<void>;
  /** Record a failed attempt: `attempts` as it is now, due again at `availableAt`. */
  markFailed(id: string, failure: { attempts: number; availableAt: string; error: string }): Promise<void>;
  /** Unpublished events that are not dead. */
  countPending(maxAttempts: number): Promise<number>;
  /** Whether the e-mail for this event was already sent. */
  wasSent(eventId: string): Promise<boolean>;
  /** Record a sent e-mail; false when the event was already recorded. */
  recordSent(sent: { eventId: string; messageId: string; recipient: string; sentAt: string }): Promise<boolean>;
  /** Wake whoever relays the outbox: call after a commit that wrote an event. Never throws. */
  nudge(): void;
  /** Be called on every nudge; returns the function that stops it. */
  onNudge(listener: () => void): () => void;
}

/**
 * Sales figures over orders that are not cancelled, created in a time range; computed by the
 * database (GROUP BY), never by loading orders. Both dialects answer identically.
 */
export interface ReportRepository {
  /** One row per period that has orders (no empty periods), ascending. */
  sales(range: TimeRange, grouping: Grouping): Promise<SalesRow[]>;
  /** By quantity, then revenue, descending, then product id; names as the products are named now. */
  topProducts(range: TimeRange, limit: number): Promise<TopProduct[]>;
  /** The customer figures; `orders` and `netCents` are what the average order value is made of. */
  customers(
    range: TimeRange,
  ): Promise<Omit<CustomerReport, 'averageOrderValueCents'> & { orders: number; netCents: number }>;
}
