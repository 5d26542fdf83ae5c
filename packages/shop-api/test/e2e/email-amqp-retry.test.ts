import { serviceForTests } from '@quartet/core';
import { describe, expect, it } from 'vitest';
import { brokerShop } from './email-shop.js';

const amqpService = await serviceForTests('amqp');
if (!amqpService.available) console.warn(`shop-api RabbitMQ tests ${amqpService.reason}`);

describe.skipIf(!amqpService.available)('order e-mails through RabbitMQ: retries, dead letters, replay', () => {
  it('an SMTP server that refuses twice (451): retried through the retry queue, then one e-mail', async () => {
    const shop = await brokerShop();
    shop.smtp.behaviour = (attempt) => (attempt <= 2 ? 'refuse' : 'accept');
    const worker = await shop.startWorker();
    await shop.server.placeOrder();
    await shop.smtp.waitForMail(1);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect([shop.smtp.received.length, shop.smtp.attempts]).toEqual([1, 3]);
    expect(await shop.messages(shop.names.dead)).toBe(0);
  });
});
