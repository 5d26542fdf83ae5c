import { defineConfig } from 'vitest/config';

// One run across every package. Each package may add its own vitest.config.ts
// (timeouts, setup files); `dist/**` is never collected.
export default defineConfig({
  test: {
    projects: ['packages/*', 'scripts'],
  },
});
