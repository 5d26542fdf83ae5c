import {
  beginEnrolment,
  confirmEnrolment,
  disableTwoFactorWithCode,
  resetTwoFactor,
  twoFactorStatus,
} from '../domain/two-factor.js';
import { listUsers } from '../domain/admin.js';
import type { User } from '../domain/types.js';
import type { MenuDeps } from './menu-types.js';
import { errorLine } from './terminal.js';

/** The second step of the login form, asked for a user with two-factor login on before the password is judged. */
export function askTotp({ ui, prompts }: MenuDeps): Promise<string> {
  return ui.ask((c) => prompts.input({ message: 'Two-factor code (or a recovery code):' }, c));
}

/** User menu "Two-factor login": turn it on (QR, one code, recovery codes) or off (a fresh code). */
export async function twoFactorMenu(deps: MenuDeps, user: User): Promise<string> {
  const { bank, ui, prompts } = deps;
  const status = twoFactorStatus(bank, user);
  if (status.enabled) {
    const code = await ui.ask((c) =>
      prompts.input(
        {
          message: `Two-factor login is on (${status.recoveryCodesLeft} recovery codes left). To turn it off, enter a new code:`,
        },
        c,
      ),
    );
    try {
      disableTwoFactorWithCode(bank, user, code);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'TOTP_FAILED') return `${errorLine(error)}; it stays on.`;
      throw error;
    }
    return 'Two-factor login is off.';
  }
  const enrolment = beginEnrolment(bank, user);
  const { default: qrcode } = await import('qrcode-terminal');
  const qr = await new Promise<string>((resolve) => qrcode.generate(enrolment.uri, { small: true }, resolve));
  const code = await ui.ask((c) =>
    prompts.input(
      {
        message: `Scan this with an authenticator app, or type the secret in:\n${qr}\nSecret: ${enrolment.secret}\n\nCode from the app to confirm:`,
      },
      c,
    ),
  );
  const codes = confirmEnrolment(bank, user, enrolment.secret, code);
  return `Two-factor login is on. Recovery codes, each usable once (keep them safe; they are not shown again):\n${codes
    .map((c) => `  ${c}`)
    .join('\n')}`;
}

/** Admin menu "Reset two-factor login". */
export async function resetTwoFactorMenu({ bank, ui, prompts }: MenuDeps, admin: User): Promise<string> {
  const users = listUsers(bank, admin).filter(({ user }) => user.totpSecret !== null);
  if (users.length === 0) return 'Nobody has two-factor login on.';
  const target = await ui.ask((c) =>
    prompts.select(
      {
        message: 'Turn off two-factor login for whom?',
        choices: users.map(({ user }) => ({ name: user.username, value: user.username })),
      },
      c,
    ),
  );
  return `Two-factor login is off for ${resetTwoFactor(bank, admin, target).username}.`;
}
