import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'chat',
    include: ['test/**/*.test.ts'],
    exclude: ['dist/**', 'node_modules/**'],
    // Process and socket tests wait on real events; a busy shared machine can be slow.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
