import type { Bank } from '../domain/bank.js';
import { MAX_MAIL_ATTEMPTS } from '../domain/mail-outbox.js';
import { drainOutbox } from '../mail/drain.js';
import type { MailSettings } from '../mail/smtp.js';

/**
 * The drain as a command sees it: it never throws and never changes the command's result; at most one line for
 * stderr. Control characters in a server's answer are blanked (the line goes to a terminal).
 */
export async function drainAfterCommand(bank: Bank, settings: MailSettings): Promise<string | undefined> {
  try {
    const { failure, gaveUp } = await drainOutbox(bank, settings);
    if (failure === undefined) return undefined;
    return `notification e-mail not sent (${gaveUp ? `given up after ${MAX_MAIL_ATTEMPTS} attempts` : 'will retry'}): ${oneLine(failure)}`;
  } catch (error) {
    return `notification e-mail not sent (will retry): ${oneLine(error instanceof Error ? error.message : String(error))}`;
  }
}

function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- exactly what must not reach the terminal
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
}
