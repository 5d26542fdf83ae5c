import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'bank',
    include: ['test/**/*.test.ts'],
    exclude: ['dist/**', 'node_modules/**'],
    // End-to-end tests spawn the built bin many times on two shared cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
