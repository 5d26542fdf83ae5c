import type { ClaimedEvent, Store } from '../db/store.js';
import type { Telemetry } from '../services/telemetry.js';

export interface RelayLog {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface RelayOptions {
  store: Store;
  /** Hand one event on (to the broker with a confirm, or to the mailer); throws to retry it later. */
  publish: (event: ClaimedEvent) => Promise<void>;
  telemetry: Telemetry;
  log: RelayLog;
  /** Failed attempts after which a row is dead (published_at stays null). */
  maxAttempts: number;
  /** The first retry's delay; each further one doubles, up to maxDelayMs. */
  retryBaseMs: number;
  maxDelayMs?: number;
  /** How often to look for rows no nudge announced (a process died before its relay ran). */
  intervalMs: number;
  /** How long a claimed row stays away from other relays. Default 60 s. */
  leaseMs?: number;
  /** Report retry and dead to telemetry.emailDelivery (the embedded mailer; not when publishing to a broker). */
  countsDeliveries: boolean;
  clock?: () => Date;
}

export interface Relay {
  /** Run now (or once more after the run in progress). Never throws, never waits. */
  kick(): void;
  /** One full pass, for tests and shutdown. */
  drain(): Promise<void>;
  /** Stop the timer and nudges, and wait for the pass in progress. */
  close(): Promise<void>;
}

const BATCH = 20;

/** Publishes the outbox: after each nudge (a commit that wrote an event) and on a timer. */
export function createRelay(options: RelayOptions): Relay {
  const { store, log, telemetry } = options;
  const clock = options.clock ?? (() => new Date());
  const at = (offsetMs = 0) => new Date(clock().getTime() + offsetMs).toISOString();
  const maxDelayMs = options.maxDelayMs ?? 5 * 60 * 1000;
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;

  async function handle(event: ClaimedEvent): Promise<void> {
    try {
      await options.publish(event);
    } catch (error) {
      const attempts = event.attempts + 1;
      const message = error instanceof Error ? error.message : String(error);
      const dead = attempts >= options.maxAttempts;
      const delay = Math.min(options.retryBaseMs * 2 ** (attempts - 1), maxDelayMs);
      await store.outbox.markFailed(event.id, { attempts, availableAt: at(dead ? 0 : delay), error: message });
      if (options.countsDeliveries) telemetry.emailDelivery(dead ? 'dead' : 'retry');
      const fields = { eventId: event.id, topic: event.topic, attempts, error: message };
      if (dead) log.error(fields, 'order event given up after its last attempt');
      else log.warn({ ...fields, retryInMs: delay }, 'order event delivery failed; will retry');
      return;
    }
    await store.outbox.markPublished(event.id, at());
  }

  async function drain(): Promise<void> {
    for (;;) {
      const batch = await store.outbox.claimDue({
        now: at(),
        leaseUntil: at(options.leaseMs ?? 60_000),
        limit: BATCH,
        maxAttempts: options.maxAttempts,
      });
      for (const event of batch) await handle(event);
      if (batch.length < BATCH || closed) break;
    }
    telemetry.outboxPending(await store.outbox.countPending(options.maxAttempts));
  }

  function kick(): void {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await drain();
      } while (again && !closed);
    })()
      .catch((error: unknown) => log.warn({ err: error }, 'outbox relay pass failed; the timer tries again'))
      .finally(() => {
        running = undefined;
      });
  }

  const timer = setInterval(kick, options.intervalMs);
  timer.unref();
  const unsubscribe = store.outbox.onNudge(kick);
  return {
    kick,
    drain,
    async close() {
      closed = true;
      clearInterval(timer);
      unsubscribe();
      await running;
    },
  };
}
