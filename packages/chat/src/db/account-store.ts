/** A registered account as stored (the `accounts` table, or memory with --no-persist). */
export interface AccountRecord {
  /** As registered, for display (`account-tag`, WHOIS). */
  readonly name: string;
  /** Case-folded name: what lookups and uniqueness use. */
  readonly nameKey: string;
  readonly passwordHash: string;
  readonly email: string | null;
  /** Null once verified; the server sends no mail, so accounts are created verified. */
  readonly verifyCode: string | null;
  readonly oper: boolean;
  readonly createdAt: number;
}

/** The account queries; each is one synchronous statement, so none can interleave with another. */
export interface AccountStore {
  /** False when the name is taken: the unique index decides, so of two racing registrations exactly one wins. */
  create(account: AccountRecord): boolean;
  find(nameKey: string): AccountRecord | undefined;
  /** Clear the verification code; false for an unknown account. */
  markVerified(nameKey: string): boolean;
  /** Mark or unmark an account as an IRC operator; false for an unknown account. */
  setOper(nameKey: string, oper: boolean): boolean;
  /** Every account, by name. */
  list(): AccountRecord[];
}

/** Accounts in memory: the store of a server that keeps nothing, and of a server without a store at all. */
export function memoryAccounts(): AccountStore {
  const accounts = new Map<string, AccountRecord>();
  const update = (nameKey: string, change: Partial<AccountRecord>): boolean => {
    const account = accounts.get(nameKey);
    if (account === undefined) return false;
    accounts.set(nameKey, { ...account, ...change });
    return true;
  };
  return {
    create(account) {
      if (accounts.has(account.nameKey)) return false;
      accounts.set(account.nameKey, { ...account });
      return true;
    },
    find: (nameKey) => accounts.get(nameKey),
    markVerified: (nameKey) => update(nameKey, { verifyCode: null }),
    setOper: (nameKey, oper) => update(nameKey, { oper }),
    list: () => [...accounts.values()].sort((a, b) => (a.nameKey < b.nameKey ? -1 : 1)),
  };
}
