import { serviceForTests } from '@quartet/core';
import { defineConfig } from 'vitest/config';

/**
 * The whole bank suite again, on PostgreSQL: every SQLite file a test names stands for a fresh database of its own
 * (test/test-database.ts). Without a reachable server the project runs nothing and says why; with
 * QUARTET_REQUIRE_SERVICES=1 (CI) that is a failure.
 */
export default defineConfig(async () => {
  const postgres = await serviceForTests('postgres');
  if (!postgres.available) process.stderr.write(`bank PostgreSQL tests ${postgres.reason}\n`);
  return {
    test: {
      name: 'bank-pg',
      include: postgres.available ? ['test/**/*.test.ts'] : [],
      // Checks of pure functions and of SQLite's own files gain nothing from a second run; migrate-to-postgres uses
      // a SQLite file and a PostgreSQL database of its own in the first.
      exclude: [
        'dist/**',
        'node_modules/**',
        'test/file-modes.test.ts',
        'test/migrate-to-postgres.test.ts',
        'test/account-number.test.ts',
        'test/arithmetic.test.ts',
        'test/mail-config.test.ts',
        'test/plain-text.test.ts',
        'test/schema-parity.test.ts',
      ],
      passWithNoTests: !postgres.available,
      env: { BANK_TEST_DATABASE: 'postgres' },
      globalSetup: ['test/pg-global-setup.ts'],
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  };
});
