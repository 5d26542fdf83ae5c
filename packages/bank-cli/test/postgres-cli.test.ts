import { join } from 'node:path';
import { serviceUrl } from '@quartet/core';
import { describe, expect, it } from 'vitest';
import { closedPort, PASSWORD, runBank, tempDir } from './helpers.js';

// These name their PostgreSQL database themselves, so they mean the same in both runs.
describe('bank --database-url', () => {
  it('a server that is not there: one line and exit 6, the password never shown', async () => {
    const url = `postgres://bank:s3cret-pw@127.0.0.1:${await closedPort()}/bank`;
    const result = await runBank(['--database-url', url, 'accounts'], {
      env: { BANK_USER: 'x', BANK_PASSWORD: PASSWORD },
    });
    expect(result.code).toBe(6);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^bank: cannot connect to PostgreSQL: connection to server at "127\.0\.0\.1", port \d+ failed: Connection refused\n$/,
    );
    expect(result.stderr).not.toContain('s3cret-pw');
  });

  it('a database that does not exist: one line and exit 6', async () => {
    const url = new URL(serviceUrl('postgres'));
    url.pathname = '/bank_no_such_database';
    const result = await runBank(['accounts'], {
      env: { BANK_DATABASE_URL: url.href, BANK_USER: 'x', BANK_PASSWORD: PASSWORD },
    });
    expect([result.code, result.stdout]).toEqual([6, '']);
    expect(result.stderr).toMatch(
      /^bank: cannot connect to PostgreSQL: .*database "bank_no_such_database" does not exist\n$/,
    );
  });

  it('refuses a URL that is not postgres:// with exit 2, from the flag or the environment', async () => {
    expect(await runBank(['--database-url', 'mysql://u:pw@db/bank', 'accounts'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'bank: --database-url: must be a postgres:// URL\n',
    });
    expect(await runBank(['accounts'], { env: { BANK_DATABASE_URL: join(tempDir(), 'bank.db') } })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'bank: BANK_DATABASE_URL: must be a postgres:// URL\n',
    });
  });
});
