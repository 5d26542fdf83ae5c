import { defineConfig } from 'vitest/config';

// One run across every package. Each package may add its own vitest.config.ts
// (timeouts, setup files); `dist/**` is never collected. bank runs its suite a second time on PostgreSQL.
export default defineConfig({
  test: {
    projects: ['packages/*', 'packages/bank-cli/vitest.pg.config.ts', 'scripts'],
  },
});
