import type {
  AccountStore,
  AdminLogStore,
  EmailStore,
  InterestStore,
  LedgerStore,
  LoanStore,
  LoginStore,
  MailOutboxStore,
  NotificationStore,
  PricingStore,
  Store,
  TwoFactorStore,
  UserStore,
} from '../domain/store.js';

/** How each dialect makes its repositories. */
export interface Repositories {
  users: () => UserStore;
  accounts: () => AccountStore;
  ledger: () => LedgerStore;
  logins: () => LoginStore;
  adminLog: () => AdminLogStore;
  twoFactor: () => TwoFactorStore;
  pricing: () => PricingStore;
  interest: () => InterestStore;
  loans: () => LoanStore;
  notifications: () => NotificationStore;
  emails: () => EmailStore;
  /** Only when e-mail is configured. */
  outbox: () => MailOutboxStore | undefined;
}

/**
 * A Store whose repositories are made when first used: a command that lists accounts does not pay for
 * preparing the ledger's, the loans' or the interest's statements.
 */
export function lazyStore(
  base: Pick<Store, 'writeTransaction' | 'bookkeepingTransaction' | 'currency'>,
  make: Repositories,
): Store {
  const made: Partial<Record<keyof Repositories, unknown>> = {};
  const get = <K extends keyof Repositories>(key: K): ReturnType<Repositories[K]> =>
    (key in made ? made[key] : (made[key] = make[key]())) as ReturnType<Repositories[K]>;
  return {
    ...base,
    get users() {
      return get('users');
    },
    get accounts() {
      return get('accounts');
    },
    get ledger() {
      return get('ledger');
    },
    get logins() {
      return get('logins');
    },
    get adminLog() {
      return get('adminLog');
    },
    get twoFactor() {
      return get('twoFactor');
    },
    get pricing() {
      return get('pricing');
    },
    get interest() {
      return get('interest');
    },
    get loans() {
      return get('loans');
    },
    get notifications() {
      return get('notifications');
    },
    get emails() {
      return get('emails');
    },
    get outbox() {
      return get('outbox');
    },
  };
}
