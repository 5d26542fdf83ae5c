import { changePassword } from '../domain/auth.js';
import { withUser, type CommandResult, type GlobalOptions } from './context.js';

/** The current password authenticates; the new one is BANK_NEW_PASSWORD, stdin's second line, or a prompt. */
export function passwdCommand(options: GlobalOptions): Promise<CommandResult> {
  return withUser(options, async (ctx, user) => {
    const current = await ctx.secrets.password('Current password:');
    const next = await ctx.secrets.newPassword('New password:', 1, ctx.config.newPassword);
    await changePassword(ctx.bank, user, current, next);
    return { data: { username: user.username, changed: true }, text: `Password changed for ${user.username}.` };
  });
}
