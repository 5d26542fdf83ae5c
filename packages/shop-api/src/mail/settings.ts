import { parseWith } from '@quartet/core';
import { z } from 'zod';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Tuning knobs of the mail pipeline, mostly for tests (which want retries in milliseconds and
 * queues of their own). Read here rather than in config.ts so that the pipeline's knobs stay
 * together; the defaults are what production wants.
 */
const schema = z.object({
  SHOP_MAIL_RETRY_BASE_MS: z.coerce.number().int().min(1).default(1000),
  SHOP_MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  SHOP_MAIL_POLL_MS: z.coerce.number().int().min(10).default(1000),
  SHOP_MAIL_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,100}$/, 'SHOP_MAIL_QUEUE_PREFIX: letters, digits, _ . - only')
    .default('shop'),
});

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

export function loadMailSettings(env: Env = process.env): MailSettings {
  const parsed = parseWith(schema, env);
  return {
    retryBaseMs: parsed.SHOP_MAIL_RETRY_BASE_MS,
    maxAttempts: parsed.SHOP_MAIL_MAX_ATTEMPTS,
    pollMs: parsed.SHOP_MAIL_POLL_MS,
    queuePrefix: parsed.SHOP_MAIL_QUEUE_PREFIX,
  };
}
