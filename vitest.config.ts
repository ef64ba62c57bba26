import { defineConfig } from 'vitest/config';

/** A longer hunt of the property tests (FC_RUNS_FACTOR, tests/helpers/hostile-input.ts) runs that many times longer. */
const HUNT_FACTOR = Math.max(1, Number(process.env.FC_RUNS_FACTOR ?? 1) || 1);

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    testTimeout: 60_000 * HUNT_FACTOR,
    hookTimeout: 120_000,
    // PGlite starts PostgreSQL in WASM per database; two cores make more workers slower, not faster.
    maxWorkers: 2,
  },
});
