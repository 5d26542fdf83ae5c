import type { Store } from '../domain/store.js';
import type { Currency } from '../domain/types.js';

export interface OpenStoreOptions {
  /** The SQLite file; ignored when `databaseUrl` is set. */
  file: string;
  /** A postgres:// URL: the bank lives in that PostgreSQL database instead. */
  databaseUrl?: string | undefined;
  /** Called only when the database is new; afterwards the stored currency wins. */
  currencyForNewDatabase: () => Currency;
  busyTimeoutMs?: number;
  /** Queue notices for e-mail (BANK_SMTP_URL is set). */
  mailOutbox?: boolean;
}

export interface OpenedStore {
  store: Store;
  close: () => void;
  /** One-line notices for the entry point (core tightened a file others could read). */
  warnings: string[];
}
