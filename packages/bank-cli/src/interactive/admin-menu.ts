import { Separator } from '@inquirer/prompts';
import {
  adminActions as adminLogEntries,
  auditLog,
  listAllAccounts,
  listUsers,
  setUserActive,
  verifyLedger,
} from '../domain/admin.js';
import type { User } from '../domain/types.js';
import { accountView, adminActionView, auditView, userView } from '../domain/views.js';
import { renderAccounts, renderAdminLog, renderAudit, renderUsers, renderVerify } from '../render.js';
import { accrueMenu, ratesMenu } from './admin-interest.js';
import { limitsAndFees } from './admin-pricing.js';
import { loanApplicationsMenu } from './loans-menu.js';
import { resetTwoFactorMenu } from './two-factor-menu.js';
import type { MenuDeps } from './menu-types.js';

export type AdminAction =
  | 'users'
  | 'toggle'
  | 'all-accounts'
  | 'audit'
  | 'admin-log'
  | 'verify'
  | 'pricing'
  | 'rates'
  | 'accrue'
  | 'loan-applications'
  | 'reset-2fa';

export function adminChoices() {
  return [
    new Separator('── administration ──'),
    { name: 'All users', value: 'users' as const },
    { name: 'Activate/deactivate user', value: 'toggle' as const },
    { name: 'All accounts', value: 'all-accounts' as const },
    { name: 'Transaction audit log', value: 'audit' as const },
    { name: 'Admin action log', value: 'admin-log' as const },
    { name: 'Verify ledger', value: 'verify' as const },
    { name: 'Limits and fees', value: 'pricing' as const },
    { name: 'Interest rates', value: 'rates' as const },
    { name: 'Post monthly interest', value: 'accrue' as const },
    { name: 'Loan applications', value: 'loan-applications' as const },
    { name: 'Reset two-factor login', value: 'reset-2fa' as const },
    new Separator(),
  ];
}

export const adminActions: Record<AdminAction, (deps: MenuDeps, admin: User) => Promise<string>> = {
  users: ({ bank }, admin) =>
    Promise.resolve(renderUsers(listUsers(bank, admin).map(({ user, lockedUntil }) => userView(user, lockedUntil)))),
  async toggle({ bank, ui, prompts }, admin) {
    const users = listUsers(bank, admin).filter(({ user }) => user.id !== admin.id);
    if (users.length === 0) return 'There are no other users.';
    const target = await ui.ask((c) =>
      prompts.select(
        {
          message: 'Activate or deactivate whom?',
          choices: users.map(({ user }) => ({
            name: `${user.username} (${user.active ? 'active: deactivate' : 'inactive: activate'})`,
            value: user,
          })),
          pageSize: 15,
        },
        c,
      ),
    );
    const updated = setUserActive(bank, admin, target.username, !target.active);
    return `${updated.username} is now ${updated.active ? 'active' : 'deactivated'}.`;
  },
  'all-accounts': ({ bank }, admin) =>
    Promise.resolve(
      renderAccounts(
        listAllAccounts(bank, admin).map((a) => accountView(a, bank.store.currency)),
        true,
      ),
    ),
  audit: ({ bank }, admin) =>
    Promise.resolve(
      `Latest transactions:\n${renderAudit(auditLog(bank, admin, { limit: '20' }).map((r) => auditView(r, bank.store.currency)))}`,
    ),
  'admin-log': ({ bank }, admin) =>
    Promise.resolve(renderAdminLog(adminLogEntries(bank, admin, '20').map(adminActionView))),
  verify: ({ bank }, admin) => Promise.resolve(renderVerify(verifyLedger(bank, admin))),
  pricing: limitsAndFees,
  rates: ratesMenu,
  accrue: accrueMenu,
  'loan-applications': loanApplicationsMenu,
  'reset-2fa': resetTwoFactorMenu,
};
