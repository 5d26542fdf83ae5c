import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'bank',
    include: ['test/**/*.test.ts'],
    // *.pg.test.ts: what exists on PostgreSQL only; vitest.pg.config.ts runs them with the rest.
    exclude: ['dist/**', 'node_modules/**', 'test/**/*.pg.test.ts'],
    // End-to-end tests spawn the built bin many times on two shared cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
