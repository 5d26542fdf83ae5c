import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/*
 * Timestamps are ISO-8601 UTC strings with milliseconds: they sort and compare
 * as text, and read back unchanged in every dialect. Money is integer cents.
 */

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ['customer', 'admin'] }).notNull(),
    active: integer('active', { mode: 'boolean' }).notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    // Access tokens carry the version they were issued at; bumping it (logout, deactivation) ends them all.
    tokenVersion: integer('token_version').notNull().default(0),
  },
  (t) => [uniqueIndex('users_email_unique').on(t.email), index('users_created_idx').on(t.createdAt)],
);

export const refreshTokens = sqliteTable(
  'refresh_tokens',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    familyId: text('family_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: text('expires_at').notNull(),
    usedAt: text('used_at'),
    revokedAt: text('revoked_at'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('refresh_tokens_hash_unique').on(t.tokenHash), index('refresh_tokens_family_idx').on(t.familyId)],
);

export const products = sqliteTable(
  'products',
  {
    // The implicit rowid stays: the FTS5 index refers to it (content_rowid).
    id: text('id').primaryKey(),
    sku: text('sku').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull(),
    priceCents: integer('price_cents').notNull(),
    currency: text('currency').notNull(),
    stock: integer('stock').notNull(),
    category: text('category').notNull(),
    active: integer('active', { mode: 'boolean' }).notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('products_sku_unique').on(t.sku),
    // One index per filter/sort the catalog offers; `active` leads because archived rows are always excluded,
    // and `id` ends each one because it breaks ties in every sort, so pages come straight off the index.
    index('products_category_price_idx').on(t.active, t.category, t.priceCents, t.id),
    index('products_price_idx').on(t.active, t.priceCents, t.id),
    index('products_name_idx').on(t.active, t.name, t.id),
    index('products_created_idx').on(t.active, t.createdAt, t.id),
    index('products_stock_idx').on(t.active, t.stock),
    check('products_stock_nonnegative', sql`${t.stock} >= 0`),
    check('products_price_nonnegative', sql`${t.priceCents} >= 0`),
  ],
);

export const cartItems = sqliteTable(
  'cart_items',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    productId: text('product_id')
      .notNull()
      .references(() => products.id),
    quantity: integer('quantity').notNull(),
    addedAt: text('added_at').notNull(),
    // Lines list in the order they were first added; added_at alone ties within a millisecond.
    position: integer('position').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.productId] }),
    check('cart_items_quantity_positive', sql`${t.quantity} > 0`),
  ],
);

export const orders = sqliteTable(
  'orders',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    status: text('status', { enum: ['pending', 'processing', 'shipped', 'delivered', 'cancelled'] }).notNull(),
    currency: text('currency').notNull(),
    totalCents: integer('total_cents').notNull(),
    // What the lines came to before a coupon, the coupon's discount, and the coupon (total = subtotal - discount).
    subtotalCents: integer('subtotal_cents').notNull().default(0),
    discountCents: integer('discount_cents').notNull().default(0),
    couponCode: text('coupon_code'),
    note: text('note'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    index('orders_user_created_idx').on(t.userId, t.createdAt),
    index('orders_status_created_idx').on(t.status, t.createdAt),
    index('orders_created_idx').on(t.createdAt),
  ],
);

export const orderItems = sqliteTable(
  'order_items',
  {
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    productId: text('product_id')
      .notNull()
      .references(() => products.id),
    sku: text('sku').notNull(),
    name: text('name').notNull(),
    quantity: integer('quantity').notNull(),
    priceAtPurchaseCents: integer('price_at_purchase_cents').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.productId] })],
);

export const orderStatusHistory = sqliteTable(
  'order_status_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    actorId: text('actor_id').references(() => users.id),
    at: text('at').notNull(),
  },
  (t) => [index('order_status_history_order_idx').on(t.orderId, t.id)],
);

export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    key: text('key').notNull(),
    fingerprint: text('fingerprint').notNull(),
    // A random token per claim, so that only the request that claimed the key may complete it.
    claim: text('claim').notNull(),
    state: text('state', { enum: ['in_flight', 'done'] }).notNull(),
    responseStatus: integer('response_status'),
    responseBody: text('response_body'),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] }), index('idempotency_keys_expires_idx').on(t.expiresAt)],
);

export const activity = sqliteTable(
  'activity',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    action: text('action').notNull(),
    actorId: text('actor_id'),
    targetType: text('target_type'),
    targetId: text('target_id'),
    ip: text('ip'),
    detail: text('detail'),
  },
  (t) => [index('activity_action_idx').on(t.action, t.id)],
);

export const coupons = sqliteTable(
  'coupons',
  {
    // Stored upper-case: codes match case-insensitively.
    code: text('code').primaryKey(),
    type: text('type', { enum: ['percent', 'fixed'] }).notNull(),
    // Percent: 1-100. Fixed: cents.
    value: integer('value').notNull(),
    minSubtotalCents: integer('min_subtotal_cents'),
    maxRedemptions: integer('max_redemptions'),
    perCustomerLimit: integer('per_customer_limit').notNull().default(1),
    startsAt: text('starts_at'),
    endsAt: text('ends_at'),
    active: integer('active', { mode: 'boolean' }).notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [check('coupons_value_positive', sql`${t.value} > 0`)],
);

/** One row per order that used a coupon; cancelling the order deletes it (the redemption is given back). */
export const couponRedemptions = sqliteTable(
  'coupon_redemptions',
  {
    orderId: text('order_id')
      .primaryKey()
      .references(() => orders.id),
    couponCode: text('coupon_code')
      .notNull()
      .references(() => coupons.code),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    discountCents: integer('discount_cents').notNull(),
    at: text('at').notNull(),
  },
  (t) => [index('coupon_redemptions_coupon_user_idx').on(t.couponCode, t.userId)],
);

/** The coupon a customer attached to their cart. */
export const cartCoupons = sqliteTable('cart_coupons', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id),
  couponCode: text('coupon_code')
    .notNull()
    .references(() => coupons.code),
  attachedAt: text('attached_at').notNull(),
});

/**
 * The transactional outbox: an event row written in the same transaction as the change it
 * reports (an order placed, its status changed, cancelled). A relay publishes unpublished rows
 * (to RabbitMQ, or straight to the mailer without one) and stamps them.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    // The event id: also the e-mail's Message-ID, so that a redelivery is recognised.
    id: text('id').primaryKey(),
    topic: text('topic', { enum: ['order.placed', 'order.status_changed', 'order.cancelled'] }).notNull(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    // JSON: what the e-mail needs, as of the transaction.
    payload: text('payload').notNull(),
    createdAt: text('created_at').notNull(),
    publishedAt: text('published_at'),
    attempts: integer('attempts').notNull().default(0),
    // Not before this time (backoff after a failed attempt).
    availableAt: text('available_at').notNull(),
    lastError: text('last_error'),
  },
  (t) => [index('outbox_pending_idx').on(t.publishedAt, t.availableAt)],
);

/** E-mails already sent, by event id: a redelivered event is not sent twice. */
export const sentEmails = sqliteTable('sent_emails', {
  eventId: text('event_id').primaryKey(),
  messageId: text('message_id').notNull(),
  recipient: text('recipient').notNull(),
  sentAt: text('sent_at').notNull(),
});

export const schema = {
  users,
  refreshTokens,
  products,
  cartItems,
  orders,
  orderItems,
  orderStatusHistory,
  idempotencyKeys,
  activity,
  coupons,
  couponRedemptions,
  cartCoupons,
  outbox,
  sentEmails,
};
export type Schema = typeof schema;
