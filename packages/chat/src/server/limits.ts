/** The server's limits and timeouts. Defaults are the issue's; tests shorten them. */
export interface Limits {
  /** Registration (NICK + USER, or a plain-mode nick) must finish within this. */
  readonly registrationTimeoutMs: number;
  /** Silence before we send PING. */
  readonly pingAfterMs: number;
  /** Further silence after the PING before the client is dropped. */
  readonly pingTimeoutMs: number;
  /** Lines a client may send at once... */
  readonly floodBurst: number;
  /** ...and then per second. */
  readonly floodPerSecond: number;
  /** Lines held back for a flooding client before it is disconnected with Excess Flood. */
  readonly floodQueueMax: number;
  /** Bytes waiting to be sent to one client before it is disconnected with SendQ exceeded. */
  readonly sendQueueBytes: number;
  readonly maxClients: number;
  readonly maxPerIp: number;
}

export const DEFAULT_LIMITS: Limits = {
  registrationTimeoutMs: 30_000,
  pingAfterMs: 90_000,
  pingTimeoutMs: 60_000,
  floodBurst: 10,
  floodPerSecond: 2,
  floodQueueMax: 10,
  sendQueueBytes: 1024 * 1024,
  maxClients: 1000,
  maxPerIp: 10,
};
