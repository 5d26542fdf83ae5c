import { describe, expect, it } from 'vitest';
import { CODE_TTL_MS, emailStatus, MAX_CODE_TRIES, requestEmail, verifyEmail } from '../src/domain/email.js';
import { codeTries, mailBank } from './email-helpers.js';

/** The verification code's rules, on the domain with a hand-moved clock (no mail needed to get the code). */
describe('e-mail verification codes', () => {
  it('are six digits, and the right one verifies the address', async () => {
    const t = await mailBank('smtp://127.0.0.1:9');
    const { code } = requestEmail(t.bank, t.alice, 'alice@example.test');
    expect(code).toMatch(/^\d{6}$/);
    expect(emailStatus(t.bank, t.alice)).toEqual({ address: 'alice@example.test', verified: false });
    expect(verifyEmail(t.bank, t.alice, code)).toEqual({ address: 'alice@example.test', verified: true });
  });

  it('count a wrong try (committed although the verification fails)', async () => {
    const t = await mailBank('smtp://127.0.0.1:9');
    const { code } = requestEmail(t.bank, t.alice, 'alice@example.test');
    const wrong = code === '123456' ? '654321' : '123456';
    expect(() => verifyEmail(t.bank, t.alice, wrong)).toThrow('that verification code is wrong');
    expect(() => verifyEmail(t.bank, t.alice, wrong)).toThrow('that verification code is wrong');
    expect(codeTries(t.file, t.alice.id)).toBe(2);
    expect(emailStatus(t.bank, t.alice).verified).toBe(false);
  });

  it('expire after 30 minutes', async () => {
    const t = await mailBank('smtp://127.0.0.1:9');
    const { code } = requestEmail(t.bank, t.alice, 'alice@example.test');
    t.clock.now += CODE_TTL_MS;
    expect(() => verifyEmail(t.bank, t.alice, code)).toThrow(
      'the verification code has expired; run bank profile email ADDRESS for a new one',
    );
    expect(emailStatus(t.bank, t.alice).verified).toBe(false);
    t.clock.now -= 1; // a millisecond earlier, the same code is still good
    expect(verifyEmail(t.bank, t.alice, code).verified).toBe(true);
  });

  it('are void after five wrong tries, even for the right code; a new request starts afresh', async () => {
    const t = await mailBank('smtp://127.0.0.1:9');
    const { code } = requestEmail(t.bank, t.alice, 'alice@example.test');
    const wrong = code === '000000' ? '999999' : '000000';
    for (let i = 1; i < MAX_CODE_TRIES; i += 1) {
      expect(() => verifyEmail(t.bank, t.alice, wrong)).toThrow('that verification code is wrong');
    }
    const voided =
      'the verification code is void after too many wrong tries; run bank profile email ADDRESS for a new one';
    expect(() => verifyEmail(t.bank, t.alice, wrong)).toThrow(voided);
    expect(() => verifyEmail(t.bank, t.alice, code)).toThrow(voided);
    expect(codeTries(t.file, t.alice.id)).toBe(MAX_CODE_TRIES);
    const again = requestEmail(t.bank, t.alice, 'alice@example.test');
    expect(codeTries(t.file, t.alice.id)).toBe(0);
    expect(verifyEmail(t.bank, t.alice, again.code).verified).toBe(true);
  });
});
