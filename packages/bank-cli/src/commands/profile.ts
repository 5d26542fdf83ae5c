import { UnavailableError, ValidationError } from '@quartet/core/errors';
import {
  CODE_TTL_MS,
  emailStatus,
  parseEmailAddress,
  removeEmail,
  requestEmail,
  verifyEmail,
} from '../domain/email.js';
import type { EmailStatus } from '../domain/email.js';
import { withUser, type CommandResult, type GlobalOptions } from './context.js';

export function profileShowCommand(o: GlobalOptions): Promise<CommandResult> {
  return withUser(o, (ctx, user) => {
    const email = emailStatus(ctx.bank, user);
    return {
      data: { username: user.username, email: email.address, emailVerified: email.verified },
      text: `User: ${user.username}\nE-mail: ${describe(email)}`,
    };
  });
}

export interface EmailChange {
  address: string | undefined;
  verify: string | undefined;
  remove: boolean;
}

export function profileEmailCommand(o: GlobalOptions, change: EmailChange): Promise<CommandResult> {
  const given = [change.address !== undefined, change.verify !== undefined, change.remove].filter(Boolean).length;
  if (given !== 1) {
    throw new ValidationError('give exactly one of: an ADDRESS, --verify CODE, --remove', { code: 'EMAIL_USAGE' });
  }
  return withUser(o, async (ctx, user) => {
    if (change.verify !== undefined) {
      const email = verifyEmail(ctx.bank, user, change.verify);
      return { data: email, text: `E-mail address ${email.address ?? ''} verified.` };
    }
    if (change.remove) {
      removeEmail(ctx.bank, user);
      return { data: emailStatus(ctx.bank, user), text: 'E-mail address removed.' };
    }
    parseEmailAddress(change.address!);
    const { smtpUrl, mailFrom } = ctx.config;
    if (smtpUrl === undefined) {
      throw new UnavailableError('e-mail is not configured (BANK_SMTP_URL is not set); nothing changed', 'NO_SMTP');
    }
    const { address, code } = requestEmail(ctx.bank, user, change.address!);
    const { sendVerificationCode } = await import('../mail/verification.js');
    try {
      await sendVerificationCode({ smtpUrl, from: mailFrom }, address, code, CODE_TTL_MS);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new UnavailableError(
        `verification e-mail not sent: ${reason}; ${address} is saved unverified, run the command again`,
        'EMAIL_NOT_SENT',
      );
    }
    const minutes = CODE_TTL_MS / 60_000;
    return {
      data: emailStatus(ctx.bank, user),
      text: `Verification code sent to ${address}; confirm it within ${minutes} minutes: bank profile email --verify CODE`,
    };
  });
}

function describe(email: EmailStatus): string {
  if (email.address === null) return 'none';
  return `${email.address} (${email.verified ? 'verified' : 'not verified'})`;
}
