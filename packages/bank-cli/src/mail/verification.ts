import { openSmtp, type MailSettings } from './smtp.js';

/** Sent at once, not through the outbox: the code is stored only hashed, and a failure is the command's own. */
export async function sendVerificationCode(settings: MailSettings, to: string, code: string, ttlMs: number) {
  const sender = await openSmtp(settings);
  try {
    await sender.send({
      to,
      subject: 'bank: your e-mail verification code',
      text:
        `Your bank e-mail verification code is ${code}\n\n` +
        `It is valid for ${ttlMs / 60_000} minutes: bank profile email --verify ${code}\n` +
        'If you did not ask for it, ignore this message.\n',
    });
  } finally {
    sender.close();
  }
}
