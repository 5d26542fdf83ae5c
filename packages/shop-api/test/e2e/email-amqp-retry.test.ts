import { serviceForTests } from '@quartet/core';
import { describe, expect, it } from 'vitest';
import { brokerShop } from './email-shop.js';
import { until } from './pg-shop.js';

const amqpService = await serviceForTests('amqp');
if (!amqpService.available) console.warn(`shop-api RabbitMQ tests ${amqpService.reason}`);

describe.skipIf(!amqpService.available)('order e-mails through RabbitMQ: retries and shutdown', () => {
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

  it('SIGTERM while an e-mail is in hand: the worker finishes it (sent, recorded, acked), then exits 0', async () => {
    const shop = await brokerShop();
    shop.smtp.behaviour = () => 'hold';
    const worker = await shop.startWorker();
    await shop.server.placeOrder();
    await shop.smtp.waitForAttempts(1);
    worker.child.kill('SIGTERM');
    // Released only once the worker stopped consuming: it finishes the message in hand after the signal.
    await until(async () => (await shop.consumers(shop.names.main)) === 0, 'the worker to stop consuming');
    shop.smtp.release();
    expect(await worker.exited).toBe(0);
    expect(shop.smtp.received.map((mail) => mail.messageId)).toEqual([`<${shop.outbox()[0]!.id}@shop.test>`]);
    expect(await shop.messages(shop.names.main)).toBe(0);
    expect(await shop.messages(shop.names.retry)).toBe(0);
  });
});
