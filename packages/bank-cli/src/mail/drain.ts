import type { Bank } from '../domain/bank.js';
import { claimMail, messageIdFor, recordFailure, recordSent, releaseMail, subjectFor } from '../domain/mail-outbox.js';
import { openSmtp, type MailSender, type MailSettings } from './smtp.js';

export interface DrainOptions {
  /** Rows taken per claim. */
  batch?: number;
  /** No new claim after this long: a command is not held up by a long queue. */
  budgetMs?: number;
  /** For tests: a sender other than SMTP. */
  openSender?: (settings: MailSettings) => Promise<MailSender>;
}

export interface DrainReport {
  sent: number;
  /** Why the last send failed, if one did (the rows are retried later). */
  failure: string | undefined;
  /** The failed row had its last attempt: it is dead, not retried. */
  gaveUp: boolean;
}

/**
 * Sends the due notification e-mails of every user (each bank process helps), after the command's own work has
 * committed. A failure is recorded on the row and reported, never thrown: the command already succeeded. After
 * the first failure the drain stops, since the server is likely to refuse the next one too.
 */
export async function drainOutbox(
  bank: Bank,
  settings: MailSettings,
  options: DrainOptions = {},
): Promise<DrainReport> {
  const outbox = bank.store.outbox;
  const report: DrainReport = { sent: 0, failure: undefined, gaveUp: false };
  if (!outbox) return report;
  const batch = options.batch ?? 10;
  const deadline = Date.now() + (options.budgetMs ?? 10_000);
  let sender: MailSender | undefined;
  try {
    while (Date.now() < deadline) {
      const mails = claimMail(bank, outbox, batch);
      if (mails.length === 0) break;
      for (const [i, mail] of mails.entries()) {
        try {
          sender ??= await (options.openSender ?? openSmtp)(settings);
          await sender.send({
            to: mail.address,
            subject: subjectFor(mail.message),
            text: `${mail.message}\n`,
            messageId: messageIdFor(mail.id),
          });
        } catch (error) {
          report.failure = error instanceof Error ? error.message : String(error);
          report.gaveUp = recordFailure(bank, outbox, mail, report.failure);
          releaseMail(bank, outbox, mails.slice(i + 1));
          return report;
        }
        recordSent(bank, outbox, mail);
        report.sent += 1;
      }
    }
    return report;
  } finally {
    sender?.close();
  }
}
