import { createLogger, ValidationError } from '@quartet/core';
import type { ShopConfig } from '../config.js';
import { openStore } from '../db/open.js';
import { createMailer } from '../mail/deliver.js';
import { transportFor } from '../mail/pipeline.js';
import { connectBroker, queueNames } from '../mail/queue.js';
import { replayDead, startWorker, type RunningWorker } from '../mail/worker.js';
import { noTelemetry } from '../services/telemetry.js';

function brokerUrl(config: ShopConfig): string {
  if (config.amqpUrl === undefined) {
    throw new ValidationError('worker needs SHOP_AMQP_URL (without it, serve sends the e-mails itself)');
  }
  return config.amqpUrl;
}

/** `worker --replay-dead`: every dead e-mail back on the queue, attempts reset; how many. */
export async function replayDeadCommand(config: ShopConfig): Promise<number> {
  const settings = config.mail;
  const connection = await connectBroker(brokerUrl(config));
  try {
    return await replayDead(connection, queueNames(settings.queuePrefix));
  } finally {
    await connection.close().catch(() => {});
  }
}

export interface WorkerHandle extends RunningWorker {
  warnings: readonly string[];
  transport: string;
}

/** Consume order events from RabbitMQ and send their e-mails until stopped. */
export async function worker(config: ShopConfig): Promise<WorkerHandle> {
  const settings = config.mail;
  const url = brokerUrl(config);
  const transport = transportFor(config);
  await transport.verify();
  const store = await openStore(config.database);
  try {
    const connection = await connectBroker(url);
    const logger = createLogger({ name: 'shop-api-worker', defaultLevel: config.logLevel, env: {} });
    const running = await startWorker({
      connection,
      names: queueNames(settings.queuePrefix),
      mailer: createMailer({ store, transport, from: config.mailFrom, telemetry: noTelemetry }),
      telemetry: noTelemetry,
      log: logger,
      maxAttempts: settings.maxAttempts,
      retryBaseMs: settings.retryBaseMs,
    });
    const release = async () => {
      transport.close();
      await store.close();
    };
    return {
      warnings: store.warnings,
      transport: transport.name,
      done: running.done.finally(release),
      stop: () => running.stop(),
    };
  } catch (error) {
    transport.close();
    await store.close();
    throw error;
  }
}
