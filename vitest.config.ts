import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Budgets, not speed targets (those live in bench/): real JAX probes on a busy 2-core machine take
    // minutes, and a slow machine must never fail a test. A hang still ends, just later.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // Probe tests run real JAX processes; two files at a time fit the 2-core CI machine.
    maxWorkers: 2,
    // The JSON file is what .ci/run reads for its closing 'N passed, N failed' line.
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/test-results.json' },
  },
});
