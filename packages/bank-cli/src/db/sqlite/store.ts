import { eq, isNotNull } from 'drizzle-orm';
import { immediateTransaction, openSqlite, unsyncedTransaction } from '@quartet/core/sqlite';
import type { OpenedStore, OpenStoreOptions } from '../store-options.js';
import { lazyStore } from '../lazy-store.js';
import { packageFile } from '../../package-files.js';
import { SYSTEM_ACCOUNTS, type Currency } from '../../domain/types.js';
import { createAccountRepo } from './accounts-repo.js';
import { createLedgerRepo } from './ledger-repo.js';
import { createAdminLogRepo, createLoginRepo } from './logins-repo.js';
import { accounts, meta } from './schema.js';
import { createUserRepo } from './users-repo.js';
import { createInterestRepo } from './interest-repo.js';
import { createLoanRepo } from './loans-repo.js';
import { createEmailRepo } from './emails-repo.js';
import { createMailOutboxRepo } from './mail-outbox-repo.js';
import { createNotificationRepo } from './notifications-repo.js';
import { createPricingRepo } from './pricing-repo.js';
import { createTwoFactorRepo } from './two-factor-repo.js';

/** Resolved from the package root, so it works from dist/, from the bundle and from an installed package. */
export const MIGRATIONS_FOLDER = packageFile('migrations/sqlite');

export function openSqliteStore(options: OpenStoreOptions): OpenedStore {
  const { db, close, warnings } = openSqlite({
    file: options.file,
    synchronous: 'FULL',
    migrationsFolder: MIGRATIONS_FOLDER,
    ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
  });
  try {
    const currency = ensureBootstrapped(db, options.currencyForNewDatabase);
    const store = lazyStore(
      {
        // better-sqlite3 runs everything on one connection, so the repositories'
        // prepared statements run inside this transaction.
        writeTransaction: (fn) => immediateTransaction(db, () => fn() as never),
        // Two of these run on every login: a read-only command pays no fsync for them.
        bookkeepingTransaction: (fn) => unsyncedTransaction(db, () => fn() as never),
        currency,
      },
      {
        users: () => createUserRepo(db),
        accounts: () => createAccountRepo(db),
        ledger: () => createLedgerRepo(db),
        logins: () => createLoginRepo(db),
        adminLog: () => createAdminLogRepo(db),
        twoFactor: () => createTwoFactorRepo(db),
        pricing: () => createPricingRepo(db),
        interest: () => createInterestRepo(db),
        loans: () => createLoanRepo(db),
        notifications: () => createNotificationRepo(db),
        emails: () => createEmailRepo(db),
        outbox: () => (options.mailOutbox === true ? createMailOutboxRepo(db) : undefined),
      },
    );
    return { store, close, warnings };
  } catch (error) {
    close();
    throw error;
  }
}

type Db = ReturnType<typeof openSqlite>['db'];

/** Fix the currency and create the system accounts once; later starts only read. */
function ensureBootstrapped(db: Db, newCurrency: () => Currency): Currency {
  const read = () => {
    const code = db.select().from(meta).where(eq(meta.key, 'currency')).get()?.value;
    const decimals = db.select().from(meta).where(eq(meta.key, 'decimals')).get()?.value;
    const system = db.select({ code: accounts.systemCode }).from(accounts).where(isNotNull(accounts.systemCode)).all();
    const complete = SYSTEM_ACCOUNTS.every(({ code }) => system.some((row) => row.code === code));
    return code && decimals && complete ? { code, decimals: Number(decimals) } : undefined;
  };
  const existing = read();
  if (existing) return existing;
  const wanted = newCurrency();
  return immediateTransaction(db, (tx) => {
    // Another process may have bootstrapped between our read and our lock.
    const raced = read();
    if (raced) return raced;
    tx.insert(meta).values({ key: 'currency', value: wanted.code }).onConflictDoNothing().run();
    tx.insert(meta)
      .values({ key: 'decimals', value: String(wanted.decimals) })
      .onConflictDoNothing()
      .run();
    for (const { code, name } of SYSTEM_ACCOUNTS) {
      tx.insert(accounts)
        .values({ systemCode: code, kind: code, name, createdAt: Date.now() })
        .onConflictDoNothing()
        .run();
    }
    return read()!;
  });
}
