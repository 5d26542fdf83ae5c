import { describe, expect, it } from 'vitest';
import { requestEmail, verifyEmail } from '../src/domain/email.js';
import { beginAttempt, endAttempt, MAX_FAILURES } from '../src/domain/login-attempts.js';
import { messageIdFor, subjectFor } from '../src/domain/mail-outbox.js';
import { listNotifications } from '../src/domain/notifications.js';
import { transfer } from '../src/domain/payments.js';
import type { User } from '../src/domain/types.js';
import { drainOutbox } from '../src/mail/drain.js';
import type { Bank } from '../src/domain/bank.js';
import { makeUser, testBank } from './helpers.js';
import { mailBank, outboxRows } from './email-helpers.js';
import { startSmtp } from './smtp-server.js';
import { openAccount } from '../src/domain/accounts.js';
import { deposit } from '../src/domain/payments.js';

function verify(bank: Bank, user: User, address: string): void {
  const { code } = requestEmail(bank, user, address);
  verifyEmail(bank, user, code);
}

describe('notification e-mails through the outbox', () => {
  it('a transfer to a verified user queues one e-mail; the drain sends exactly it, with its Message-ID', async () => {
    const smtp = await startSmtp();
    const t = await mailBank(smtp.url);
    verify(t.bank, t.alice, 'alice@example.test');
    transfer(t.bank, t.bob, t.b, t.a, '12.50', 'lunch');
    const text = `Received 12.50 USD on ${t.a} from ${t.b}, note "lunch".`;
    expect(listNotifications(t.bank, t.alice, false).map((n) => n.message)).toEqual([text]);
    expect(outboxRows(t.file)).toMatchObject([{ id: 1, address: 'alice@example.test', attempts: 0, sent_at: null }]);

    expect(await drainOutbox(t.bank, t.settings)).toEqual({ sent: 1, failure: undefined, gaveUp: false });
    expect(await drainOutbox(t.bank, t.settings)).toEqual({ sent: 0, failure: undefined, gaveUp: false });
    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail!.to).toEqual(['alice@example.test']);
    expect(mail!.messageId).toBe('<notification-1@bank.quartet>');
    expect(mail!.subject).toBe(subjectFor(text));
    expect(mail!.subject).toBe(`bank: Received 12.50 USD on ${t.a} from ${t.b}, note...`);
    expect(mail!.raw).toContain(text);
    expect(outboxRows(t.file)).toMatchObject([
      { id: 1, attempts: 0, sent_at: t.clock.now, next_attempt_at: null, message_id: messageIdFor(1) },
    ]);
  });

  it('an unverified address (or none) gets nothing: no outbox row is written', async () => {
    const smtp = await startSmtp();
    const t = await mailBank(smtp.url);
    requestEmail(t.bank, t.alice, 'alice@example.test'); // never verified
    transfer(t.bank, t.bob, t.b, t.a, '1.00');
    transfer(t.bank, t.alice, t.a, t.b, '2.00'); // bob has no address at all
    expect(listNotifications(t.bank, t.alice, false)).toHaveLength(1);
    expect(listNotifications(t.bank, t.bob, false)).toHaveLength(1);
    expect(outboxRows(t.file)).toEqual([]);
    expect(await drainOutbox(t.bank, t.settings)).toEqual({ sent: 0, failure: undefined, gaveUp: false });
    expect(smtp.attempts).toBe(0);
  });

  it('a transfer that rolls back queues nothing and sends nothing', async () => {
    const smtp = await startSmtp();
    const t = await mailBank(smtp.url);
    verify(t.bank, t.alice, 'alice@example.test');
    expect(() =>
      t.bank.store.writeTransaction(() => {
        transfer(t.bank, t.bob, t.b, t.a, '5.00');
        throw new Error('rolled back after the transfer');
      }),
    ).toThrow('rolled back after the transfer');
    expect(listNotifications(t.bank, t.alice, false)).toEqual([]);
    expect(outboxRows(t.file)).toEqual([]);
    expect(await drainOutbox(t.bank, t.settings)).toEqual({ sent: 0, failure: undefined, gaveUp: false });
    expect(smtp.attempts).toBe(0);
  });

  it('a server refusing twice, then accepting: exactly one e-mail over three drains, 1 and 2 minutes apart', async () => {
    const smtp = await startSmtp();
    smtp.behaviour = (n) => (n <= 2 ? 'refuse' : 'accept');
    const t = await mailBank(smtp.url);
    verify(t.bank, t.alice, 'alice@example.test');
    transfer(t.bank, t.bob, t.b, t.a, '3.00');
    const start = t.clock.now;

    expect((await drainOutbox(t.bank, t.settings)).failure).toMatch(/try again later/);
    expect(outboxRows(t.file)).toMatchObject([{ attempts: 1, next_attempt_at: start + 60_000, sent_at: null }]);
    t.clock.now = start + 59_999; // not due yet: nothing is tried
    expect(await drainOutbox(t.bank, t.settings)).toEqual({ sent: 0, failure: undefined, gaveUp: false });
    expect(smtp.attempts).toBe(1);

    t.clock.now = start + 60_000;
    expect((await drainOutbox(t.bank, t.settings)).failure).toMatch(/try again later/);
    expect(outboxRows(t.file)).toMatchObject([{ attempts: 2, next_attempt_at: start + 180_000 }]);

    t.clock.now = start + 180_000;
    expect(await drainOutbox(t.bank, t.settings)).toEqual({ sent: 1, failure: undefined, gaveUp: false });
    expect(smtp.attempts).toBe(3);
    expect(smtp.received.map((m) => m.messageId)).toEqual(['<notification-1@bank.quartet>']);
    expect(outboxRows(t.file)).toMatchObject([{ attempts: 2, sent_at: start + 180_000, next_attempt_at: null }]);
  });

  it('after five refusals the row is dead: kept, and never tried again', async () => {
    const smtp = await startSmtp();
    smtp.behaviour = () => 'refuse';
    const t = await mailBank(smtp.url);
    verify(t.bank, t.alice, 'alice@example.test');
    transfer(t.bank, t.bob, t.b, t.a, '3.00');
    for (const [i, wait] of [0, 60_000, 120_000, 240_000, 480_000].entries()) {
      t.clock.now += wait;
      const report = await drainOutbox(t.bank, t.settings);
      expect([report.sent, report.gaveUp]).toEqual([0, i === 4]);
      expect(report.failure).toMatch(/try again later/);
    }
    expect(outboxRows(t.file)).toMatchObject([{ attempts: 5, next_attempt_at: null, dead_at: t.clock.now }]);
    t.clock.now += 86_400_000;
    expect(await drainOutbox(t.bank, t.settings)).toEqual({ sent: 0, failure: undefined, gaveUp: false });
    expect(smtp.attempts).toBe(5);
  });

  it('without BANK_SMTP_URL a verified user’s notices write no outbox row', async () => {
    const t = testBank();
    const alice = await makeUser(t.bank, 'alice');
    const bob = await makeUser(t.bank, 'bob');
    const a = openAccount(t.bank, alice, 'savings').number!;
    const b = openAccount(t.bank, bob, 'checking').number!;
    deposit(t.bank, bob, b, '10.00');
    verify(t.bank, alice, 'alice@example.test');
    transfer(t.bank, bob, b, a, '1.00');
    expect(listNotifications(t.bank, alice, false)).toHaveLength(1);
    expect(outboxRows(t.file)).toEqual([]);
  });

  it('a lockout notice that its own attempt lifts takes its queued e-mail with it', async () => {
    const smtp = await startSmtp();
    const t = await mailBank(smtp.url);
    verify(t.bank, t.alice, 'alice@example.test');
    for (let i = 1; i < MAX_FAILURES; i += 1) endAttempt(t.bank, beginAttempt(t.bank, 'alice'), 'bad password');
    const locking = beginAttempt(t.bank, 'alice');
    expect(outboxRows(t.file)).toHaveLength(1);
    endAttempt(t.bank, locking, undefined); // the locking attempt was right after all
    expect(listNotifications(t.bank, t.alice, false)).toEqual([]);
    expect(outboxRows(t.file)).toEqual([]);
    expect(await drainOutbox(t.bank, t.settings)).toEqual({ sent: 0, failure: undefined, gaveUp: false });
  });
});
