import { describe, expect, it } from 'vitest';
import { startSmtp } from '../support/smtp.js';
import { emailShop } from './email-shop.js';

describe('order e-mails without a broker: retries on the outbox row', () => {
  it('an SMTP server that refuses twice (451): retried with backoff on the outbox row, then one e-mail', async () => {
    const shop = await emailShop();
    const smtp = await startSmtp();
    smtp.behaviour = (attempt) => (attempt <= 2 ? 'refuse' : 'accept');
    const server = await shop.startServer({
      SHOP_SMTP_URL: smtp.url,
      SHOP_MAIL_RETRY_BASE_MS: '20',
      SHOP_MAIL_POLL_MS: '20',
    });
    const { orderId } = await server.placeOrder();
    await smtp.waitForMail(1);
    await shop.waitForPublished();
    expect(await server.stop()).toBe(0);
    expect(smtp.attempts).toBe(3);
    expect(smtp.received.map((mail) => mail.subject)).toEqual([`Order ${orderId.slice(0, 8)} placed`]);
    expect(shop.outbox()).toMatchObject([{ attempts: 2, lastError: expect.stringMatching(/451/) as unknown }]);
  });

  it('an SMTP server that always refuses: the row is dead after 5 attempts (unpublished, attempts 5), and logged', async () => {
    const shop = await emailShop();
    const smtp = await startSmtp();
    smtp.behaviour = () => 'refuse';
    const server = await shop.startServer({
      SHOP_SMTP_URL: smtp.url,
      SHOP_MAIL_RETRY_BASE_MS: '10',
      SHOP_MAIL_POLL_MS: '20',
    });
    await server.placeOrder();
    await server.onStderrLine((line) => line.includes('given up after its last attempt'));
    expect(await server.stop()).toBe(0);
    expect(smtp.attempts).toBe(5);
    expect(smtp.received).toEqual([]);
    expect(shop.outbox()).toMatchObject([
      { attempts: 5, publishedAt: null, lastError: expect.stringMatching(/451/) as unknown },
    ]);
  });
});
