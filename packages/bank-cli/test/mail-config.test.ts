import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config.js';

describe('BANK_SMTP_URL and BANK_MAIL_FROM', () => {
  it.each([
    [{}, undefined, 'bank@localhost'],
    [{ BANK_SMTP_URL: '' }, undefined, 'bank@localhost'],
    [
      { BANK_SMTP_URL: 'smtp://127.0.0.1:2525', BANK_MAIL_FROM: 'Bank <bank@example.org>' },
      'smtp://127.0.0.1:2525',
      'Bank <bank@example.org>',
    ],
    [{ BANK_SMTP_URL: 'smtps://u:p@mail.example.org' }, 'smtps://u:p@mail.example.org', 'bank@localhost'],
  ])('%j', (env, smtpUrl, mailFrom) => {
    expect(resolveConfig({ db: 'x.db' }, env)).toMatchObject({ smtpUrl, mailFrom });
  });

  it.each([
    [{ BANK_SMTP_URL: 'http://127.0.0.1:2525' }, 'BANK_SMTP_URL: must be an smtp:// or smtps:// URL with a host'],
    [{ BANK_SMTP_URL: 'not a url' }, 'BANK_SMTP_URL: must be an smtp:// or smtps:// URL with a host'],
    [{ BANK_MAIL_FROM: 'bank\nBcc: x@y' }, 'BANK_MAIL_FROM: must be one line with an @'],
    [{ BANK_MAIL_FROM: 'bank' }, 'BANK_MAIL_FROM: must be one line with an @'],
  ])('refuses %j', (env, problem) => {
    expect(() => resolveConfig({ db: 'x.db' }, env)).toThrow(`bad environment: ${problem}`);
  });
});
