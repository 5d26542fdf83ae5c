/* eslint-disable @typescript-eslint/no-unsafe-member-access -- response bodies are untyped JSON; the assertions are the type check. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ClaimedEvent } from '../../src/db/store.js';
import { createMailer } from '../../src/mail/deliver.js';
import { createRelay } from '../../src/mail/relay.js';
import type { Transport } from '../../src/mail/transport.js';
import { noTelemetry, type Telemetry } from '../../src/services/telemetry.js';
import { createContext, type StoreFactory } from '../support/context.js';
import { pgStoreFactory, postgres } from '../support/pg.js';
import { sqliteFiles, sqliteStore } from '../support/sqlite.js';

const quietLog = { warn: () => {}, error: () => {} };
const MAX = 5;

function recordingTelemetry() {
  const deliveries: string[] = [];
  const pending: number[] = [];
  const telemetry: Telemetry = {
    ...noTelemetry,
    emailDelivery: (outcome) => deliveries.push(outcome),
    outboxPending: (n) => pending.push(n),
  };
  return { telemetry, deliveries, pending };
}

function outboxSuite(makeStore: StoreFactory) {
  async function shop() {
    const ctx = await createContext(makeStore);
    const buyer = await ctx.customer();
    const product = await ctx.product({ priceCents: 1250, stock: 3 });
    const order = async (quantity = 1) => {
      expect((await ctx.addToCart(buyer.token, product.id, quantity)).status).toBe(200);
      const placed = await ctx.api('POST', '/api/v1/orders', { token: buyer.token });
      expect(placed.status).toBe(201);
      return placed.json.id as string;
    };
    const claim = (now: number) =>
      ctx.store.outbox.claimDue({
        now: new Date(now).toISOString(),
        leaseUntil: new Date(now + 60_000).toISOString(),
        limit: 20,
        maxAttempts: MAX,
      });
    return { ...ctx, buyer, product, order, claim };
  }

  it('a checkout that rolls back (a short cart) writes no outbox row', async () => {
    const ctx = await shop();
    expect((await ctx.addToCart(ctx.buyer.token, ctx.product.id, 3)).status).toBe(200);
    await ctx.store.products.update(ctx.product.id, { stock: 2 }, new Date().toISOString());
    const refused = await ctx.api('POST', '/api/v1/orders', { token: ctx.buyer.token });
    expect([refused.status, refused.json.code]).toEqual([409, 'OUT_OF_STOCK']);
    expect(await ctx.store.outbox.countPending(MAX)).toBe(0);
    expect(await ctx.claim(Date.now() + 1000)).toEqual([]);
  });

  it('a committed checkout leaves its event in the outbox with no relay running', async () => {
    const ctx = await shop();
    const orderId = await ctx.order(2);
    expect(await ctx.store.outbox.countPending(MAX)).toBe(1);
    const [event, ...rest] = await ctx.claim(Date.now() + 1000);
    expect(rest).toEqual([]);
    expect(event).toMatchObject({ topic: 'order.placed', orderId, attempts: 0 });
    expect(event!.payload).toMatchObject({
      orderId,
      status: 'pending',
      previousStatus: null,
      totalCents: 2500,
      customer: { email: ctx.buyer.email },
      items: [{ quantity: 2, priceAtPurchaseCents: 1250, lineTotalCents: 2500 }],
    });
  });

  it('checkout and cancel each nudge the relay after their commit', async () => {
    const ctx = await shop();
    let nudges = 0;
    ctx.store.outbox.onNudge(() => nudges++);
    const orderId = await ctx.order();
    expect(nudges).toBe(1);
    expect((await ctx.api('POST', `/api/v1/orders/${orderId}/cancel`, { token: ctx.buyer.token })).status).toBe(200);
    expect(nudges).toBe(2);
    const topics = (await ctx.claim(Date.now() + 1000)).map((e) => e.topic);
    expect(topics.sort()).toEqual(['order.cancelled', 'order.placed']);
  });

  it('an administrator status change writes order.status_changed with its commit; a refused one writes nothing', async () => {
    const ctx = await shop();
    const admin = await ctx.admin();
    const orderId = await ctx.order();
    const url = `/api/v1/admin/orders/${orderId}/status`;
    const move = (status: string) => ctx.api('PATCH', url, { token: admin.token, body: { status } });
    expect((await move('processing')).status).toBe(200);
    expect((await move('shipped')).status).toBe(200);
    expect((await move('pending')).status).toBe(409);
    expect(await ctx.store.outbox.countPending(MAX)).toBe(3);
    const events = (await ctx.claim(Date.now() + 1000)).map((e) => [
      e.topic,
      e.orderId,
      e.payload.previousStatus,
      e.payload.status,
    ]);
    expect(events.sort((a, b) => String(a[3]).localeCompare(String(b[3])))).toEqual([
      ['order.placed', orderId, null, 'pending'],
      ['order.status_changed', orderId, 'pending', 'processing'],
      ['order.status_changed', orderId, 'processing', 'shipped'],
    ]);
  });

  it('claims lease rows: claims at once share nothing, and a leased row is not claimed again', async () => {
    const ctx = await shop();
    for (let i = 0; i < 3; i++) await ctx.order();
    const now = Date.now() + 1000;
    const [a, b] = await Promise.all([ctx.claim(now), ctx.claim(now)]);
    const ids = [...(a ?? []), ...(b ?? [])].map((e) => e.id);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    expect(await ctx.claim(now + 59_999)).toEqual([]);
    // A relay that died holding them gives them back when the lease ends.
    expect(await ctx.claim(now + 60_000)).toHaveLength(3);
  });

  it('failed rows wait for their time; dead and published rows are not pending', async () => {
    const ctx = await shop();
    await ctx.order();
    await ctx.order();
    const now = Date.now() + 1000;
    const [first, second] = await ctx.claim(now);
    const iso = (ms: number) => new Date(ms).toISOString();
    await ctx.store.outbox.markFailed(first!.id, { attempts: 1, availableAt: iso(now + 500), error: 'refused' });
    await ctx.store.outbox.markPublished(second!.id, iso(now));
    expect(await ctx.store.outbox.countPending(MAX)).toBe(1);
    expect(await ctx.claim(now + 499)).toEqual([]);
    expect((await ctx.claim(now + 500)).map((e) => [e.id, e.attempts])).toEqual([[first!.id, 1]]);
    await ctx.store.outbox.markFailed(first!.id, { attempts: MAX, availableAt: iso(now), error: 'refused' });
    expect(await ctx.store.outbox.countPending(MAX)).toBe(0);
    expect(await ctx.claim(now + 120_000)).toEqual([]);
  });

  it('records a sent e-mail once', async () => {
    const ctx = await shop();
    await ctx.order();
    const [event] = await ctx.claim(Date.now() + 1000);
    const sent = {
      eventId: event!.id,
      messageId: `<${event!.id}@x>`,
      recipient: 'a@b',
      sentAt: new Date().toISOString(),
    };
    expect(await ctx.store.outbox.wasSent(event!.id)).toBe(false);
    expect(await ctx.store.outbox.recordSent(sent)).toBe(true);
    expect(await ctx.store.outbox.recordSent(sent)).toBe(false);
    expect(await ctx.store.outbox.wasSent(event!.id)).toBe(true);
  });

  it('the mailer sends an event once: a redelivered event is recorded as a duplicate and not sent', async () => {
    const ctx = await shop();
    const orderId = await ctx.order();
    const [event] = await ctx.claim(Date.now() + 1000);
    const sent: { subject: string; messageId: string }[] = [];
    const transport: Transport = {
      name: 'memory',
      verify: () => Promise.resolve(),
      send: (email, envelope) => (
        sent.push({ subject: email.subject, messageId: envelope.messageId }),
        Promise.resolve()
      ),
      close: () => {},
    };
    const { telemetry, deliveries } = recordingTelemetry();
    const mailer = createMailer({ store: ctx.store, transport, from: 'Shop <orders@shop.test>', telemetry });
    expect(await mailer.deliver(event!)).toBe('sent');
    expect(await mailer.deliver(event!)).toBe('duplicate');
    expect(sent).toEqual([{ subject: `Order ${orderId.slice(0, 8)} placed`, messageId: `<${event!.id}@shop.test>` }]);
    expect(deliveries).toEqual(['sent', 'duplicate']);
    expect(await ctx.store.outbox.wasSent(event!.id)).toBe(true);
  });

  it('the relay retries with exponential backoff, then publishes once', async () => {
    const ctx = await shop();
    await ctx.order();
    const clock = { now: Date.now() + 1000 };
    const { telemetry, deliveries, pending } = recordingTelemetry();
    const published: ClaimedEvent[] = [];
    let failures = 3;
    const relay = createRelay({
      store: ctx.store,
      telemetry,
      log: quietLog,
      publish: (event) =>
        failures-- > 0 ? Promise.reject(new Error('451 try later')) : (published.push(event), Promise.resolve()),
      maxAttempts: MAX,
      retryBaseMs: 1000,
      intervalMs: 3_600_000,
      countsDeliveries: true,
      clock: () => new Date(clock.now),
    });
    try {
      await relay.drain(); // attempt 1 fails: due again in 1 s
      clock.now += 999;
      await relay.drain();
      clock.now += 1;
      await relay.drain(); // attempt 2 fails: due again in 2 s
      clock.now += 1999;
      await relay.drain();
      clock.now += 1;
      await relay.drain(); // attempt 3 fails: due again in 4 s
      clock.now += 3999;
      await relay.drain();
      expect(published).toEqual([]);
      clock.now += 1;
      await relay.drain(); // attempt 4 succeeds
      await relay.drain();
    } finally {
      await relay.close();
    }
    expect(published.map((e) => [e.topic, e.attempts])).toEqual([['order.placed', 3]]);
    expect(deliveries).toEqual(['retry', 'retry', 'retry']);
    expect(pending).toEqual([1, 1, 1, 1, 1, 1, 0, 0]);
    expect(await ctx.store.outbox.countPending(MAX)).toBe(0);
  });

  it('the relay gives a row up after the last attempt (dead: unpublished, attempts = 5)', async () => {
    const ctx = await shop();
    await ctx.order();
    const clock = { now: Date.now() + 1000 };
    const { telemetry, deliveries } = recordingTelemetry();
    const errors: object[] = [];
    let calls = 0;
    const relay = createRelay({
      store: ctx.store,
      telemetry,
      log: { warn: () => {}, error: (fields) => errors.push(fields) },
      publish: () => (calls++, Promise.reject(new Error('550 no such user'))),
      maxAttempts: MAX,
      retryBaseMs: 10,
      intervalMs: 3_600_000,
      countsDeliveries: true,
      clock: () => new Date(clock.now),
    });
    try {
      for (let i = 0; i < 8; i++) {
        await relay.drain();
        clock.now += 1000;
      }
    } finally {
      await relay.close();
    }
    expect(calls).toBe(5);
    expect(deliveries).toEqual(['retry', 'retry', 'retry', 'retry', 'dead']);
    expect(errors).toMatchObject([{ attempts: 5, error: '550 no such user' }]);
    expect(await ctx.store.outbox.countPending(MAX)).toBe(0);
    expect(await ctx.store.outbox.countPending(MAX + 1)).toBe(1);
  });
}

describe('the order outbox on SQLite', () => {
  outboxSuite(sqliteStore);

  it("an idle relay's poll does not queue for the write lock another process holds", async () => {
    const ctx = await createContext(sqliteStore);
    const file = sqliteFiles.get(ctx.store);
    if (file === undefined) throw new Error('the store has no file');
    const other = new Database(file);
    other.prepare('BEGIN IMMEDIATE').run();
    try {
      const now = Date.now();
      const claim = { now: new Date(now).toISOString(), leaseUntil: new Date(now + 60_000).toISOString() };
      // Taking the write lock here would wait out the busy timeout, then fail with SQLITE_BUSY.
      expect(await ctx.store.outbox.claimDue({ ...claim, limit: 20, maxAttempts: MAX })).toEqual([]);
    } finally {
      other.prepare('ROLLBACK').run();
      other.close();
    }
  });
});

describe.skipIf(!postgres.available)('the order outbox on PostgreSQL', () => outboxSuite(pgStoreFactory()));
