import {
  adminActions,
  auditLog,
  initAdmin,
  listAllAccounts,
  listUsers,
  setUserActive,
  setUserRole,
  verifyLedger,
  type AuditOptions,
} from '../domain/admin.js';
import { accountView, adminActionView, auditView, userView } from '../domain/views.js';
import { renderAccounts, renderAdminLog, renderAudit, renderUsers, renderVerify } from '../render.js';
import { withBank, withUser, type CommandResult, type GlobalOptions } from './context.js';

export function adminInitCommand(options: GlobalOptions, username: string): Promise<CommandResult> {
  return withBank(options, async (ctx) => {
    const password = await ctx.secrets.newPassword(`Choose a password for ${username}:`, 0, ctx.config.password);
    const user = await initAdmin(ctx.bank, username, password);
    return { data: userView(user), text: `Created administrator ${user.username}.` };
  });
}

export function adminUsersCommand(options: GlobalOptions): Promise<CommandResult> {
  return withUser(options, (ctx, admin) => {
    const views = listUsers(ctx.bank, admin).map(({ user, lockedUntil }) => userView(user, lockedUntil));
    return { data: views, text: renderUsers(views) };
  });
}

export function adminSetActiveCommand(
  options: GlobalOptions,
  username: string,
  active: boolean,
): Promise<CommandResult> {
  return withUser(options, (ctx, admin) => {
    const user = setUserActive(ctx.bank, admin, username, active);
    return { data: userView(user), text: `${user.username} is now ${active ? 'active' : 'deactivated'}.` };
  });
}

export function adminRoleCommand(options: GlobalOptions, username: string, role: string): Promise<CommandResult> {
  return withUser(options, (ctx, admin) => {
    const user = setUserRole(ctx.bank, admin, username, role);
    return { data: userView(user), text: `${user.username} is now ${user.role === 'admin' ? 'an admin' : 'a user'}.` };
  });
}

export function adminAccountsCommand(options: GlobalOptions): Promise<CommandResult> {
  return withUser(options, (ctx, admin) => {
    const views = listAllAccounts(ctx.bank, admin).map((a) => accountView(a, ctx.bank.store.currency));
    return { data: views, text: renderAccounts(views, true) };
  });
}

export function adminAuditCommand(options: GlobalOptions, filter: AuditOptions): Promise<CommandResult> {
  return withUser(options, (ctx, admin) => {
    const rows = auditLog(ctx.bank, admin, filter).map((row) => auditView(row, ctx.bank.store.currency));
    return { data: rows, text: renderAudit(rows) };
  });
}

export function adminLogCommand(options: GlobalOptions & { limit?: string }): Promise<CommandResult> {
  return withUser(options, (ctx, admin) => {
    const rows = adminActions(ctx.bank, admin, options.limit).map(adminActionView);
    return { data: rows, text: renderAdminLog(rows) };
  });
}

export function adminVerifyCommand(options: GlobalOptions): Promise<CommandResult> {
  return withUser(options, (ctx, admin) => {
    const problems = verifyLedger(ctx.bank, admin);
    return {
      data: { ok: problems.length === 0, discrepancies: problems },
      text: renderVerify(problems),
      exitCode: problems.length === 0 ? 0 : 1,
    };
  });
}
