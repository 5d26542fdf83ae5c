import type { ShopConfig } from '../config.js';
import type { Store } from '../db/store.js';
import type { Telemetry } from '../services/telemetry.js';
import { createMailer } from './deliver.js';
import { createPublisher, queueNames } from './queue.js';
import { createRelay, type Relay, type RelayLog } from './relay.js';
import type { MailSettings } from './settings.js';
import { fileTransport, smtpTransport, type Transport } from './transport.js';

/** SMTP when SHOP_SMTP_URL is set, otherwise .eml files in the data directory's mail/. */
export function transportFor(config: ShopConfig): Transport {
  return config.smtpUrl === undefined ? fileTransport(config.mailDir) : smtpTransport(config.smtpUrl);
}

/**
 * The relay `serve` runs: with SHOP_AMQP_URL it publishes the outbox to RabbitMQ (a worker sends
 * the e-mails); without it, it is the mailer itself, retrying on the outbox row.
 */
export async function startOutboxRelay(deps: {
  config: ShopConfig;
  settings: MailSettings;
  store: Store;
  telemetry: Telemetry;
  log: RelayLog;
}): Promise<Relay> {
  const { config, settings, store, telemetry, log } = deps;
  const common = { store, telemetry, log, retryBaseMs: settings.retryBaseMs, intervalMs: settings.pollMs };
  if (config.amqpUrl !== undefined) {
    const publisher = await createPublisher(config.amqpUrl, queueNames(settings.queuePrefix));
    // The broker being away is not the event's fault: keep trying (capped at a minute), never dead.
    const relay = createRelay({
      ...common,
      publish: (event) => publisher.publish(event),
      maxAttempts: 1_000_000,
      maxDelayMs: 60_000,
      countsDeliveries: false,
    });
    relay.kick();
    return {
      ...relay,
      async close() {
        await relay.close();
        await publisher.close();
      },
    };
  }
  const transport = transportFor(config);
  await transport.verify().catch((error: unknown) => {
    // A mail server that is down now may be up later: the retries tell.
    if (config.smtpUrl === undefined) throw error;
    log.warn({ err: error }, 'the SMTP server does not answer yet; e-mails wait in the outbox');
  });
  const mailer = createMailer({ store, transport, from: config.mailFrom, telemetry });
  const relay = createRelay({
    ...common,
    publish: async (event) => {
      await mailer.deliver(event);
    },
    maxAttempts: settings.maxAttempts,
    countsDeliveries: true,
  });
  relay.kick();
  return {
    ...relay,
    async close() {
      await relay.close();
      transport.close();
    },
  };
}
