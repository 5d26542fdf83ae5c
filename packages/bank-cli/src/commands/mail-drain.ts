import type { BankConfig } from '../config.js';
import type { Bank } from '../domain/bank.js';
import { MAX_MAIL_ATTEMPTS } from '../domain/mail-outbox.js';
import { drainOutbox } from '../mail/drain.js';

/**
 * The drain as a command (or the menus, at quit) sees it: it never throws and never changes the result; at most one
 * line for stderr, into `warnings`. Control characters in a server's answer are blanked (the line goes to a terminal).
 */
export async function drainAfterCommand(bank: Bank, config: BankConfig, warnings: string[] | undefined): Promise<void> {
  if (config.smtpUrl === undefined) return;
  const line = (outcome: string, reason: string) => `notification e-mail not sent (${outcome}): ${oneLine(reason)}`;
  try {
    const { failure, gaveUp } = await drainOutbox(bank, { smtpUrl: config.smtpUrl, from: config.mailFrom });
    if (failure === undefined) return;
    warnings?.push(line(gaveUp ? `given up after ${MAX_MAIL_ATTEMPTS} attempts` : 'will retry', failure));
  } catch (error) {
    warnings?.push(line('will retry', error instanceof Error ? error.message : String(error)));
  }
}

function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- exactly what must not reach the terminal
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
}
