import type { OrderEventPayload, OrderTopic } from '../domain/order-events.js';
import type { ClaimedEvent, OutboxRepository } from './store.js';

/** An outbox row as both dialects read it back: the payload is JSON text. */
export type OutboxRecord = {
  id: string;
  topic: OrderTopic;
  orderId: string;
  payload: string;
  createdAt: string;
  attempts: number;
};

export function decodeOutbox(row: OutboxRecord): ClaimedEvent {
  return {
    id: row.id,
    topic: row.topic,
    orderId: row.orderId,
    payload: JSON.parse(row.payload) as OrderEventPayload,
    createdAt: row.createdAt,
    attempts: row.attempts,
  };
}

/**
 * The in-process wake-up of a relay. A listener that throws is not the committing request's
 * problem: the nudge is a hint, and the relay's timer picks up whatever a missed nudge left.
 */
export function createNudge(): Pick<OutboxRepository, 'nudge' | 'onNudge'> {
  const listeners = new Set<() => void>();
  return {
    nudge() {
      for (const listener of listeners) {
        try {
          listener();
        } catch {
          // see above
        }
      }
    },
    onNudge(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
