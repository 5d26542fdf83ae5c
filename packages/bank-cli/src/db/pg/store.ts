import { packageFile } from '../../package-files.js';
import { SYSTEM_ACCOUNTS, type Currency } from '../../domain/types.js';
import { lazyStore } from '../lazy-store.js';
import type { OpenedStore, OpenStoreOptions } from '../store-options.js';
import { createAccountRepo } from './accounts-repo.js';
import { PgConnection } from './connection.js';
import { createEmailRepo } from './emails-repo.js';
import { createInterestRepo } from './interest-repo.js';
import { createLedgerRepo } from './ledger-repo.js';
import { createLoanRepo } from './loans-repo.js';
import { createAdminLogRepo, createLoginRepo } from './logins-repo.js';
import { createMailOutboxRepo } from './mail-outbox-repo.js';
import { migrate } from './migrate.js';
import { createNotificationRepo } from './notifications-repo.js';
import { createPricingRepo } from './pricing-repo.js';
import { createTwoFactorRepo } from './two-factor-repo.js';
import { createUserRepo } from './users-repo.js';

/** drizzle-kit's PostgreSQL migrations, beside the SQLite ones. */
export const PG_MIGRATIONS_FOLDER = packageFile('migrations/pg');

/** The bank in a PostgreSQL database: migrated on open, bootstrapped once, one session per process. */
export function openPgStore(url: string, options: Omit<OpenStoreOptions, 'file' | 'databaseUrl'>): OpenedStore {
  const pg = PgConnection.open(url, 'bank', options.busyTimeoutMs);
  try {
    migrate(pg, PG_MIGRATIONS_FOLDER);
    const currency = ensureBootstrapped(pg, options.currencyForNewDatabase);
    const store = lazyStore(
      {
        writeTransaction: (fn) => pg.transaction(fn, { synced: true }),
        bookkeepingTransaction: (fn) => pg.transaction(fn, { synced: false }),
        currency,
      },
      {
        users: () => createUserRepo(pg),
        accounts: () => createAccountRepo(pg),
        ledger: () => createLedgerRepo(pg),
        logins: () => createLoginRepo(pg),
        adminLog: () => createAdminLogRepo(pg),
        twoFactor: () => createTwoFactorRepo(pg),
        pricing: () => createPricingRepo(pg),
        interest: () => createInterestRepo(pg),
        loans: () => createLoanRepo(pg),
        notifications: () => createNotificationRepo(pg),
        emails: () => createEmailRepo(pg),
        outbox: () => (options.mailOutbox === true ? createMailOutboxRepo(pg) : undefined),
      },
    );
    return { store, close: () => pg.close(), warnings: [] };
  } catch (error) {
    pg.close();
    throw error;
  }
}

/** Fix the currency and create the system accounts once; later starts only read. */
function ensureBootstrapped(pg: PgConnection, newCurrency: () => Currency): Currency {
  const read = (): Currency | undefined => {
    const meta = pg.query<{ key: string; value: string }>(
      `SELECT key, value FROM meta WHERE key IN ('currency', 'decimals')`,
    );
    const code = meta.find((row) => row.key === 'currency')?.value;
    const decimals = meta.find((row) => row.key === 'decimals')?.value;
    const system = pg.query<{ code: string }>(`SELECT system_code AS code FROM accounts WHERE system_code IS NOT NULL`);
    const complete = SYSTEM_ACCOUNTS.every(({ code }) => system.some((row) => row.code === code));
    return code && decimals && complete ? { code, decimals: Number(decimals) } : undefined;
  };
  const existing = read();
  if (existing) return existing;
  const wanted = newCurrency();
  // Two processes bootstrapping together: SERIALIZABLE aborts one, whose retry then reads what the other wrote.
  return pg.transaction(
    () => {
      const raced = read();
      if (raced) return raced;
      pg.query(`INSERT INTO meta (key, value) VALUES ('currency', $1), ('decimals', $2) ON CONFLICT DO NOTHING`, [
        wanted.code,
        String(wanted.decimals),
      ]);
      for (const { code, name } of SYSTEM_ACCOUNTS) {
        pg.query(
          `INSERT INTO accounts (system_code, kind, name, created_at) VALUES ($1, $1, $2, $3) ON CONFLICT DO NOTHING`,
          [code, name, Date.now()],
        );
      }
      return read()!;
    },
    { synced: true },
  );
}
