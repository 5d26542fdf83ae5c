import { register } from '../domain/auth.js';
import { userView } from '../domain/views.js';
import { withBank, type CommandResult, type GlobalOptions } from './context.js';

export function registerCommand(options: GlobalOptions, username: string): Promise<CommandResult> {
  return withBank(options, async (ctx) => {
    const password = await ctx.secrets.newPassword(`Choose a password for ${username}:`, 0, ctx.config.password);
    const user = await register(ctx.bank, username, password);
    return { data: userView(user), text: `Registered ${user.username}. Log in with: bank --user ${user.username} ...` };
  });
}
