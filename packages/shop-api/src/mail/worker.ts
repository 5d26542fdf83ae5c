import type { ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { OrderEvent } from '../domain/order-events.js';
import type { Telemetry } from '../services/telemetry.js';
import type { Mailer } from './deliver.js';
import { ATTEMPT_HEADER, openConfirmChannel, publishConfirmed, type QueueNames } from './queue.js';
import type { RelayLog } from './relay.js';

export interface WorkerOptions {
  connection: ChannelModel;
  names: QueueNames;
  mailer: Mailer;
  telemetry: Telemetry;
  log: RelayLog & { info(fields: object, message: string): void };
  maxAttempts: number;
  retryBaseMs: number;
}

export interface RunningWorker {
  /** Stop consuming, finish the message in hand, close the connection. */
  stop(): Promise<void>;
  /** Settles when the worker stopped; rejects when the broker connection was lost. */
  done: Promise<void>;
}

/**
 * Consume order events one at a time: send the e-mail, then ack. A failed send goes to the retry
 * queue with the next x-attempt (its TTL is the backoff) or, after the last attempt, to the dead
 * queue; the original is acked only after that publish was confirmed, so nothing is lost between.
 */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const { connection, names, mailer, telemetry, log } = options;
  const channel = await openConfirmChannel(connection, names);
  await channel.prefetch(1);
  let inHand: Promise<void> = Promise.resolve();
  let stopping = false;
  const done = new Promise<void>((resolve, reject) => {
    connection.on('close', () => (stopping ? resolve() : reject(new Error('the RabbitMQ connection was lost'))));
  });
  done.catch(() => {}); // the caller awaits it; unawaited during stop it must not be unhandled

  const { consumerTag } = await channel.consume(names.main, (message) => {
    if (message === null) return;
    inHand = inHand
      .then(() => handle(channel, message))
      .catch((error: unknown) => {
        log.error({ err: error }, 'could not settle an e-mail message; the broker redelivers it');
      });
  });

  async function handle(ch: ConfirmChannel, message: ConsumeMessage): Promise<void> {
    const attempt = Number(message.properties.headers?.[ATTEMPT_HEADER] ?? 1) || 1;
    let event: OrderEvent;
    try {
      event = JSON.parse(message.content.toString('utf8')) as OrderEvent;
    } catch {
      await moveTo(ch, message, names.dead, { [ATTEMPT_HEADER]: attempt, 'x-last-error': 'not JSON' });
      telemetry.emailDelivery('dead');
      return;
    }
    try {
      await mailer.deliver(event);
      ch.ack(message);
      return;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const fields = { eventId: event.id, attempt, error: reason };
      if (attempt >= options.maxAttempts) {
        await moveTo(ch, message, names.dead, { [ATTEMPT_HEADER]: attempt, 'x-last-error': reason });
        telemetry.emailDelivery('dead');
        log.error(fields, 'e-mail moved to the dead-letter queue after its last attempt');
      } else {
        const delay = options.retryBaseMs * 2 ** (attempt - 1);
        await moveTo(ch, message, names.retry, { [ATTEMPT_HEADER]: attempt + 1, 'x-last-error': reason }, delay);
        telemetry.emailDelivery('retry');
        log.warn({ ...fields, retryInMs: delay }, 'e-mail send failed; will retry');
      }
    }
  }

  async function moveTo(
    ch: ConfirmChannel,
    message: ConsumeMessage,
    queue: string,
    headers: Record<string, unknown>,
    delayMs?: number,
  ): Promise<void> {
    await publishConfirmed(ch, '', queue, message.content, {
      ...idOf(message),
      contentType: 'application/json',
      headers,
      ...(delayMs === undefined ? {} : { expiration: String(delayMs) }),
    });
    ch.ack(message);
  }

  return {
    done,
    async stop() {
      if (stopping) return done;
      stopping = true;
      await channel.cancel(consumerTag).catch(() => {});
      await inHand;
      // The channel first: its close is ordered after the ack on the channel; the connection's close
      // is not, and the broker would requeue the message just sent.
      await channel.close().catch(() => {});
      await connection.close().catch(() => {});
      return done;
    },
  };
}

/** Move every dead message back onto the e-mail queue with its attempts reset; how many. */
export async function replayDead(connection: ChannelModel, names: QueueNames): Promise<number> {
  const channel = await openConfirmChannel(connection, names);
  let count = 0;
  for (;;) {
    const message = await channel.get(names.dead, { noAck: false });
    if (message === false) break;
    await publishConfirmed(channel, '', names.main, message.content, {
      ...idOf(message),
      contentType: 'application/json',
      headers: { [ATTEMPT_HEADER]: 1 },
    });
    channel.ack(message);
    count++;
  }
  await channel.close();
  return count;
}

/** The message's messageId (the event id), kept when it moves between queues. */
function idOf(message: { properties: { messageId?: unknown } }): { messageId?: string } {
  const id = message.properties.messageId;
  return typeof id === 'string' ? { messageId: id } : {};
}
