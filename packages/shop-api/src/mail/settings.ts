/** The mail pipeline's tuning knobs, read by config.ts (SHOP_MAIL_*); the defaults are what production wants. */
export interface MailSettings {
  /** The first retry's delay; then 2x, 4x, 8x. */
  retryBaseMs: number;
  /** Attempts before an e-mail is dead. */
  maxAttempts: number;
  /** The relay's timer. */
  pollMs: number;
  /** Names the exchange and queues: `<prefix>.orders`, `<prefix>.email`, `.retry`, `.dead`. */
  queuePrefix: string;
}
