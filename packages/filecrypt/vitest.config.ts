import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'filecrypt',
    include: ['test/**/*.test.ts'],
    exclude: ['dist/**', 'node_modules/**'],
    // End-to-end tests spawn the built CLI and run real KDFs; the memory test streams 2 GiB through AES-GCM.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
