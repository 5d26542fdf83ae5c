import { ConflictError, ForbiddenError, ValidationError } from '@quartet/core/errors';
import { parseAccountNumber } from './account-number.js';
import { log } from './admin-log.js';
import { createUser, parseUsername } from './auth.js';
import { requireAdmin, type Bank } from './bank.js';
import { DEFAULT_HISTORY_LIMIT, parseLimit } from './history.js';
import { findAccount, findUser } from './lookup.js';
import { ROLES, type AccountWithOwner, type AdminAction, type AuditRow, type Role, type User } from './types.js';
import { findDiscrepancies } from './verify.js';

/**
 * Creates the first administrator. Checked once before bcrypt (fail fast) and
 * again inside the insert's transaction, so two racing processes cannot both win.
 */
export async function initAdmin(bank: Bank, username: string, password: string): Promise<User> {
  assertNoAdmin(bank);
  return createUser(bank, username, password, 'admin', {
    check: () => assertNoAdmin(bank),
    after: (user) => log(bank, user, 'init', user.username, null),
  });
}

function assertNoAdmin(bank: Bank): void {
  if (bank.store.users.countAdmins() > 0) {
    throw new ConflictError(
      'an administrator already exists; an administrator can use "bank admin role"',
      'ADMIN_EXISTS',
    );
  }
}

export function listUsers(bank: Bank, admin: User): { user: User; lockedUntil: number | undefined }[] {
  requireAdmin(bank, admin);
  const now = bank.now();
  return bank.store.users.list().map((user) => {
    const until = bank.store.logins.lockedUntil(user.username);
    return { user, lockedUntil: until !== undefined && until > now ? until : undefined };
  });
}

export function setUserActive(bank: Bank, admin: User, usernameInput: string, active: boolean): User {
  const username = parseUsername(usernameInput);
  return bank.store.writeTransaction(() => {
    const actor = requireAdmin(bank, admin);
    const target = findUser(bank, username);
    if (target.id === actor.id && !active) throw new ForbiddenError('you cannot deactivate yourself', 'SELF');
    if (target.active !== active) {
      bank.store.users.setActive(target.id, active);
      log(bank, actor, active ? 'activate' : 'deactivate', target.username, null);
    }
    return { ...target, active };
  });
}

export function setUserRole(bank: Bank, admin: User, usernameInput: string, roleInput: string): User {
  const username = parseUsername(usernameInput);
  if (!(ROLES as readonly string[]).includes(roleInput)) {
    throw new ValidationError(`role must be user or admin, got "${roleInput}"`, { code: 'INVALID_ROLE' });
  }
  const role = roleInput as Role;
  return bank.store.writeTransaction(() => {
    const actor = requireAdmin(bank, admin);
    const target = findUser(bank, username);
    if (target.id === actor.id && role !== 'admin') throw new ForbiddenError('you cannot demote yourself', 'SELF');
    if (target.role !== role) {
      bank.store.users.setRole(target.id, role);
      log(bank, actor, 'role', target.username, `${target.role} -> ${role}`);
    }
    return { ...target, role };
  });
}

export function listAllAccounts(bank: Bank, admin: User): AccountWithOwner[] {
  requireAdmin(bank, admin);
  return bank.store.accounts.listAll();
}

export interface AuditOptions {
  limit?: string | undefined;
  user?: string | undefined;
  account?: string | undefined;
}

export function auditLog(bank: Bank, admin: User, options: AuditOptions = {}): AuditRow[] {
  const limit = parseLimit(options.limit, DEFAULT_HISTORY_LIMIT);
  const username = options.user === undefined ? undefined : parseUsername(options.user);
  const number = options.account === undefined ? undefined : parseAccountNumber(options.account);
  requireAdmin(bank, admin);
  const userId = username === undefined ? undefined : findUser(bank, username).id;
  const accountId = number === undefined ? undefined : findAccount(bank, number).id;
  return bank.store.ledger.audit({ limit, userId, accountId });
}

export function adminActions(bank: Bank, admin: User, limitInput?: string): AdminAction[] {
  const limit = parseLimit(limitInput, DEFAULT_HISTORY_LIMIT);
  requireAdmin(bank, admin);
  return bank.store.adminLog.list(limit);
}

/** Read in one transaction, so a concurrent transfer cannot show up half-applied. */
export function verifyLedger(bank: Bank, admin: User): string[] {
  requireAdmin(bank, admin);
  return bank.store.writeTransaction(() =>
    findDiscrepancies({
      currency: bank.store.currency,
      balances: bank.store.ledger.balanceCheck(),
      unbalanced: bank.store.ledger.unbalancedTransactions(),
      systemKinds: bank.store.ledger.systemPostingKinds(),
      subledgers: subledgerBalances(bank),
    }),
  );
}

/** System account balances as the loan and interest tables explain them. */
function subledgerBalances(bank: Bank) {
  const loans = bank.store.loans.totals();
  return [
    { systemCode: 'loan-asset', expected: -loans.outstandingPrincipal, source: 'the loans outstanding' },
    { systemCode: 'loan-interest', expected: loans.interestPaid, source: 'the loan interest repaid' },
    { systemCode: 'interest-expense', expected: -bank.store.interest.postedTotal(), source: 'the interest runs' },
  ];
}
