import { serviceForTests } from '@quartet/core';
import { describe, expect, it } from 'vitest';
import { brokerShop } from './email-shop.js';
import { until } from './pg-shop.js';
import { runCli } from './server.js';

const amqpService = await serviceForTests('amqp');
if (!amqpService.available) console.warn(`shop-api RabbitMQ tests ${amqpService.reason}`);

describe.skipIf(!amqpService.available)('order e-mails through RabbitMQ: the dead-letter queue and replay', () => {
  it('always refused: dead-lettered after 5 attempts; --replay-dead puts it back and it is sent once', async () => {
    const shop = await brokerShop();
    shop.smtp.behaviour = () => 'refuse';
    const worker = await shop.startWorker();
    await shop.server.placeOrder();
    await until(async () => (await shop.messages(shop.names.dead)) === 1, 'the dead-letter queue');
    expect(shop.smtp.attempts).toBe(5);
    expect(await shop.messages(shop.names.retry)).toBe(0);
    shop.smtp.behaviour = () => 'accept';
    expect(await runCli(['worker', '--replay-dead'], shop.workerEnv)).toEqual({
      code: 0,
      stdout: 'replayed 1 dead message(s)\n',
      stderr: '',
    });
    const [mail] = await shop.smtp.waitForMail(1);
    expect(mail!.messageId).toBe(`<${shop.outbox()[0]!.id}@shop.test>`);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect([shop.smtp.received.length, shop.smtp.attempts]).toEqual([1, 6]);
    expect(await shop.messages(shop.names.dead)).toBe(0);
    expect(await runCli(['worker', '--replay-dead'], shop.workerEnv)).toMatchObject({
      code: 0,
      stdout: 'replayed 0 dead message(s)\n',
    });
  });
});
