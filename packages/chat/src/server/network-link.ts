import type { ServerContext } from './context.js';
import type { Delivery } from './delivery.js';
import type { Network } from './network.js';

/** How a chat server is joined to a network: its delivery wrapped, its context handed over for incoming events. */
export interface NetworkLink {
  /** Deliver here and also send channel and neighbour messages to the other servers. */
  wrapDelivery(local: Delivery): Delivery;
  readonly network: Network;
  /** Connect and listen; what other servers send acts on `context`, delivered through `local`. */
  start(context: ServerContext, local: Delivery): void;
  /** Say goodbye to the network and disconnect. */
  stop(): Promise<void>;
}
