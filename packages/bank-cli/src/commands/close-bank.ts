import type { BankConfig } from '../config.js';
import type { Bank } from '../domain/bank.js';

/**
 * The end of a command or of a menu session: with e-mail configured, the notification e-mails queued by the work
 * (committed by now, whether it succeeded or not) are sent, then the bank is closed. The mail code is imported only
 * with e-mail configured, so other commands never load it.
 */
export async function drainAndClose(
  bank: Bank,
  config: BankConfig,
  warnings: string[] | undefined,
  close: () => void,
): Promise<void> {
  try {
    if (config.smtpUrl !== undefined) await (await import('./mail-drain.js')).drainAfterCommand(bank, config, warnings);
  } finally {
    close();
  }
}
