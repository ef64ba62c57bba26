import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // PGlite starts PostgreSQL in WASM per database; two cores make more workers slower, not faster.
    maxWorkers: 2,
  },
});
