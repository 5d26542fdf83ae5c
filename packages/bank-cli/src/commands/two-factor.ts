import { createInterface } from 'node:readline';
import { ValidationError } from '@quartet/core/errors';
import {
  beginEnrolment,
  confirmEnrolment,
  disableTwoFactor,
  resetTwoFactor,
  twoFactorStatus,
} from '../domain/two-factor.js';
import { withUser, type CommandResult, type GlobalOptions } from './context.js';

/**
 * Shows the QR code and the secret on stderr (stdout stays clean for the
 * result), asks for one code (a prompt on a terminal, else the next line of
 * stdin), then prints the recovery codes.
 */
export function twoFactorEnableCommand(o: GlobalOptions): Promise<CommandResult> {
  return withUser(o, async (ctx, user) => {
    const enrolment = beginEnrolment(ctx.bank, user);
    const { default: qrcode } = await import('qrcode-terminal');
    const qr = await new Promise<string>((resolve) => qrcode.generate(enrolment.uri, { small: true }, resolve));
    process.stderr.write(
      `Scan this with an authenticator app, or type the secret in:\n${qr}\nSecret: ${enrolment.secret}\n` +
        `URI: ${enrolment.uri}\n`,
    );
    const code = await confirmationCode('Code from the app to confirm:');
    const codes = confirmEnrolment(ctx.bank, user, enrolment.secret, code);
    return {
      data: { enabled: true, recoveryCodes: codes },
      text: [
        'Two-factor login is on. Recovery codes, each usable once instead of a code (keep them safe; they are not shown again):',
        ...codes.map((c) => `  ${c}`),
      ].join('\n'),
    };
  });
}

/** Logging in already took a current code (or a recovery code): that is the confirmation. */
export function twoFactorDisableCommand(o: GlobalOptions): Promise<CommandResult> {
  return withUser(o, (ctx, user) => {
    disableTwoFactor(ctx.bank, user);
    return { data: { enabled: false }, text: 'Two-factor login is off.' };
  });
}

export function twoFactorStatusCommand(o: GlobalOptions): Promise<CommandResult> {
  return withUser(o, (ctx, user) => {
    const status = twoFactorStatus(ctx.bank, user);
    return {
      data: status,
      text: status.enabled
        ? `Two-factor login is on; ${status.recoveryCodesLeft} recovery code(s) left.`
        : 'Two-factor login is off.',
    };
  });
}

export function adminReset2faCommand(o: GlobalOptions, username: string): Promise<CommandResult> {
  return withUser(o, (ctx, admin) => {
    const user = resetTwoFactor(ctx.bank, admin, username);
    return { data: { username: user.username, enabled: false }, text: `Two-factor login is off for ${user.username}.` };
  });
}

async function confirmationCode(prompt: string): Promise<string> {
  if (process.stdin.isTTY) {
    const { askLine } = await import('./hidden-prompt.js');
    return askLine(prompt);
  }
  // Scripts answer on stdin, after reading the secret from stderr.
  process.stderr.write(`${prompt}\n`);
  const lines = createInterface({ input: process.stdin, terminal: false });
  try {
    for await (const line of lines) return line;
  } finally {
    lines.close();
  }
  throw new ValidationError('no confirmation code on stdin; two-factor login stays off', { code: 'NO_TOTP' });
}
