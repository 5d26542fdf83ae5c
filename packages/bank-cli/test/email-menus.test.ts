import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { requestEmail, verifyEmail } from '../src/domain/email.js';
import { transfer } from '../src/domain/payments.js';
import { mailBank, outboxRows } from './email-helpers.js';
import { ctrlC, startMenus, until } from './menu-screen.js';
import { startSmtp } from './smtp-server.js';

describe('notification e-mails from the menus', () => {
  it('are sent when the user quits', async () => {
    const smtp = await startSmtp();
    const t = await mailBank(smtp.url);
    verifyEmail(t.bank, t.alice, requestEmail(t.bank, t.alice, 'alice@example.test').code);
    transfer(t.bank, t.bob, t.b, t.a, '4.00');
    vi.stubEnv('BANK_SMTP_URL', smtp.url);
    onTestFinished(() => void vi.unstubAllEnvs());
    const done = startMenus(t.file);
    await until('Welcome');
    expect(smtp.received).toEqual([]);
    ctrlC();
    await done;
    expect(smtp.received.map((m) => [m.to, m.messageId])).toEqual([
      [['alice@example.test'], '<notification-1@bank.quartet>'],
    ]);
    expect(outboxRows(t.file).map((row) => row.message_id)).toEqual(['<notification-1@bank.quartet>']);
  });
});
