import { randomInt } from 'node:crypto';
import { createPasswordHasher } from '@quartet/core/password';
import type { BankConfig } from './config.js';
import { openStore } from './db/open.js';
import { currencyFromCode } from './domain/currency.js';
import type { Bank } from './domain/bank.js';

export interface OpenedBank {
  bank: Bank;
  close: () => void;
  /** For the entry point to show: a database file others could read was made private. */
  warnings: string[];
}

/** Wires storage, hashing, the clock and randomness into one Bank. */
export function openBank(config: BankConfig, overrides: Partial<Pick<Bank, 'now' | 'randomDigit'>> = {}): OpenedBank {
  const { store, close, warnings } = openStore({
    file: config.dbFile,
    databaseUrl: config.databaseUrl,
    currencyForNewDatabase: () => currencyFromCode(config.currencyCode),
    busyTimeoutMs: config.busyTimeoutMs,
    mailOutbox: config.smtpUrl !== undefined,
  });
  const bank: Bank = {
    store,
    hasher: createPasswordHasher({ cost: config.bcryptCost }),
    now: overrides.now ?? Date.now,
    randomDigit: overrides.randomDigit ?? (() => randomInt(10)),
  };
  return { bank, close, warnings };
}
