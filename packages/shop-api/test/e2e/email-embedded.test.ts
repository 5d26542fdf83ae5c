import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSmtp } from '../support/smtp.js';
import { emailShop } from './email-shop.js';
import { call } from './server.js';

const header = (raw: string, name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(raw)?.[1];

describe('order e-mails without a broker (serve sends them itself)', () => {
  it('without SMTP: one <eventId>.eml per event in <data dir>/mail, private, written whole', async () => {
    const shop = await emailShop();
    const server = await shop.startServer();
    const { orderId, token } = await server.placeOrder();
    await shop.waitForEml(1);
    const [placed] = shop.outbox();
    expect(shop.emlFiles()).toEqual([`${placed!.id}.eml`]);
    const first = shop.readEml(`${placed!.id}.eml`);
    expect(header(first, 'Subject')).toBe(`Order ${orderId.slice(0, 8)} placed`);
    expect(header(first, 'Message-ID')).toBe(`<${placed!.id}@shop.localhost>`);
    expect(header(first, 'To')).toBe('Shopper <shopper1@example.com>');
    expect(first).toContain(`Order: ${orderId}`);
    expect(first).toContain('Total: 2.50 USD');
    expect(statSync(shop.mailDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(shop.mailDir, `${placed!.id}.eml`)).mode & 0o777).toBe(0o600);

    expect((await call(server.url, 'POST', `/api/v1/orders/${orderId}/cancel`, { token })).status).toBe(200);
    await shop.waitForEml(2);
    const cancelled = shop.outbox()[1]!;
    expect(cancelled.topic).toBe('order.cancelled');
    expect(shop.emlFiles()).toEqual([`${placed!.id}.eml`, `${cancelled.id}.eml`].sort());
    expect(header(shop.readEml(`${cancelled.id}.eml`), 'Subject')).toBe(`Order ${orderId.slice(0, 8)} cancelled`);
    expect(await server.stop()).toBe(0);
    expect(shop.outbox().map((row) => [row.attempts, row.publishedAt !== null])).toEqual([
      [0, true],
      [0, true],
    ]);
  });

  it('with SHOP_SMTP_URL: exactly one e-mail per event, with the event id as Message-ID', async () => {
    const shop = await emailShop();
    const smtp = await startSmtp();
    const server = await shop.startServer({ SHOP_SMTP_URL: smtp.url, SHOP_MAIL_FROM: 'Shop <orders@shop.test>' });
    const { orderId, token } = await server.placeOrder();
    expect((await call(server.url, 'POST', `/api/v1/orders/${orderId}/cancel`, { token })).status).toBe(200);
    await smtp.waitForMail(2);
    // Stopping waits for the relay's pass in progress: nothing more can arrive after it.
    expect(await server.stop()).toBe(0);
    const events = shop.outbox();
    expect(smtp.received.map((mail) => [mail.messageId, mail.subject, mail.to])).toEqual([
      [`<${events[0]!.id}@shop.test>`, `Order ${orderId.slice(0, 8)} placed`, ['shopper1@example.com']],
      [`<${events[1]!.id}@shop.test>`, `Order ${orderId.slice(0, 8)} cancelled`, ['shopper1@example.com']],
    ]);
    expect(smtp.attempts).toBe(2);
    expect(() => shop.emlFiles()).toThrow(/ENOENT/);
  });
});
