import { UnavailableError } from '@quartet/core';
import amqp, { type ChannelModel, type ConfirmChannel, type Options } from 'amqplib';
import type { OrderEvent } from '../domain/order-events.js';

/**
 * The RabbitMQ topology: order events go to a durable topic exchange; the e-mail queue takes them
 * all. A failed e-mail waits in the retry queue for its own per-message TTL, after which RabbitMQ
 * dead-letters it back onto the e-mail queue; after the last attempt it goes to the dead queue.
 */
export interface QueueNames {
  exchange: string;
  main: string;
  retry: string;
  dead: string;
}

export function queueNames(prefix: string): QueueNames {
  return {
    exchange: `${prefix}.orders`,
    main: `${prefix}.email`,
    retry: `${prefix}.email.retry`,
    dead: `${prefix}.email.dead`,
  };
}

/** The attempt a delivery is (1 for the first), from the x-attempt header. */
export const ATTEMPT_HEADER = 'x-attempt';

/** Connect, or fail with one line (exit 6) naming the broker without its credentials. */
export async function connectBroker(url: string): Promise<ChannelModel> {
  const where = new URL(url);
  try {
    const connection = await amqp.connect(url, { timeout: 5000 });
    // A failure reaches whoever uses the connection next; unheard, 'error' would crash the process.
    connection.on('error', () => {});
    return connection;
  } catch (error) {
    throw new UnavailableError(
      `cannot connect to RabbitMQ at ${where.protocol}//${where.host}: ${(error as Error).message}`,
      'AMQP_UNAVAILABLE',
    );
  }
}

export async function openConfirmChannel(connection: ChannelModel, names: QueueNames): Promise<ConfirmChannel> {
  const channel = await connection.createConfirmChannel();
  channel.on('error', () => {});
  await channel.assertExchange(names.exchange, 'topic', { durable: true });
  await channel.assertQueue(names.main, { durable: true });
  await channel.bindQueue(names.main, names.exchange, 'order.#');
  await channel.assertQueue(names.retry, {
    durable: true,
    arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': names.main },
  });
  await channel.assertQueue(names.dead, { durable: true });
  return channel;
}

/** Publish and wait for the broker's confirm; rejects when it nacks or the channel closes. */
export function publishConfirmed(
  channel: ConfirmChannel,
  exchange: string,
  routingKey: string,
  content: Buffer,
  options: Options.Publish,
): Promise<void> {
  return new Promise((resolve, reject) => {
    channel.publish(exchange, routingKey, content, { persistent: true, ...options }, (error: unknown) =>
      error ? reject(error instanceof Error ? error : new Error('the broker refused the message')) : resolve(),
    );
  });
}

export interface Publisher {
  publish(event: OrderEvent): Promise<void>;
  close(): Promise<void>;
}

/**
 * The relay's side: one connection, opened at start (so that a wrong URL fails `serve` at once)
 * and opened again on the next publish after the broker went away.
 */
export async function createPublisher(url: string, names: QueueNames): Promise<Publisher> {
  let open: Promise<{ connection: ChannelModel; channel: ConfirmChannel }> | undefined;
  const connect = () => {
    open ??= (async () => {
      const connection = await connectBroker(url);
      const reset = () => {
        open = undefined;
      };
      connection.on('close', reset);
      try {
        return { connection, channel: await openConfirmChannel(connection, names) };
      } catch (error) {
        reset();
        await connection.close().catch(() => {});
        throw error;
      }
    })().catch((error: unknown) => {
      open = undefined;
      throw error;
    });
    return open;
  };
  await connect();
  return {
    async publish(event) {
      const { channel } = await connect();
      await publishConfirmed(channel, names.exchange, event.topic, Buffer.from(JSON.stringify(event)), {
        messageId: event.id,
        contentType: 'application/json',
        headers: { [ATTEMPT_HEADER]: 1 },
      });
    },
    async close() {
      const current = open;
      open = undefined;
      if (current) await (await current).connection.close().catch(() => {});
    },
  };
}
