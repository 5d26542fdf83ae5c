import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'shop-api',
    include: ['test/**/*.test.ts'],
    exclude: ['dist/**', 'node_modules/**'],
    // End-to-end tests spawn servers and run bcrypt; these are ceilings, not timing assertions.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
