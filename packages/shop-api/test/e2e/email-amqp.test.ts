import { serviceForTests } from '@quartet/core';
import { describe, expect, it } from 'vitest';
import { brokerShop } from './email-shop.js';

const amqpService = await serviceForTests('amqp');
if (!amqpService.available) console.warn(`shop-api RabbitMQ tests ${amqpService.reason}`);

describe.skipIf(!amqpService.available)('order e-mails through RabbitMQ', () => {
  it('serve publishes (confirmed), the worker sends exactly one e-mail with the event id as Message-ID, SIGTERM exits 0', async () => {
    const shop = await brokerShop();
    const worker = await shop.startWorker();
    const { orderId } = await shop.server.placeOrder();
    const [mail] = await shop.smtp.waitForMail(1);
    const [event] = shop.outbox();
    expect([mail!.messageId, mail!.subject]).toEqual([
      `<${event!.id}@shop.test>`,
      `Order ${orderId.slice(0, 8)} placed`,
    ]);
    expect(mail!.raw).toContain(`Order: ${orderId}`);
    await shop.waitForPublished();
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(await shop.server.stop()).toBe(0);
    expect([shop.smtp.received.length, shop.smtp.attempts]).toEqual([1, 1]);
    expect(await shop.messages(shop.names.main)).toBe(0);
  });

  it('a worker killed (SIGKILL) while SMTP holds the DATA phase: the restarted one sends exactly one', async () => {
    const shop = await brokerShop();
    shop.smtp.behaviour = (attempt) => (attempt === 1 ? 'hold' : 'accept');
    const first = await shop.startWorker();
    await shop.server.placeOrder();
    await shop.smtp.waitForAttempts(1);
    first.child.kill('SIGKILL');
    await first.exited;
    const second = await shop.startWorker();
    const [mail] = await shop.smtp.waitForMail(1);
    expect(mail!.messageId).toBe(`<${shop.outbox()[0]!.id}@shop.test>`);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect([shop.smtp.received.length, shop.smtp.attempts]).toEqual([1, 2]);
  });
});
