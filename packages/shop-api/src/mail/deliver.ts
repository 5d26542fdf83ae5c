import type { OrderEvent } from '../domain/order-events.js';
import type { Store } from '../db/store.js';
import type { Telemetry } from '../services/telemetry.js';
import { renderEmail } from './render.js';
import { messageIdFor, type Transport } from './transport.js';

export type Delivery = 'sent' | 'duplicate';

export interface Mailer {
  /** Send the event's e-mail unless it was already sent; throws when the transport fails (retry later). */
  deliver(event: OrderEvent): Promise<Delivery>;
}

/**
 * At most one e-mail per event: an event recorded in sent_emails is skipped, and the record is
 * written right after the transport accepted the message. The one gap left: a process killed
 * between the two sends the same Message-ID again on the next delivery.
 */
export function createMailer(deps: {
  store: Store;
  transport: Transport;
  from: string;
  telemetry: Telemetry;
  clock?: () => Date;
}): Mailer {
  const clock = deps.clock ?? (() => new Date());
  return {
    async deliver(event) {
      if (await deps.store.outbox.wasSent(event.id)) {
        deps.telemetry.emailDelivery('duplicate');
        return 'duplicate';
      }
      const email = renderEmail(event);
      const messageId = messageIdFor(event.id, deps.from);
      await deps.transport.send(email, { eventId: event.id, messageId, from: deps.from });
      await deps.store.outbox.recordSent({
        eventId: event.id,
        messageId,
        recipient: email.to,
        sentAt: clock().toISOString(),
      });
      deps.telemetry.emailDelivery('sent');
      return 'sent';
    },
  };
}
