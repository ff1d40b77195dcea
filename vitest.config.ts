import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'examples/*/*/src/**/*.test.ts'],
          // Statistical and property tests do real work; a 2-core CI machine running them in
          // parallel needs more than vitest's 5 s default.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // One control plane for the whole run; each file gets its own namespace.
          globalSetup: ['test/harness/global-setup.ts'],
          setupFiles: ['test/harness/print-logs-on-failure.ts'],
          // Talking to a real API server: generous, because CI machines have 2 cores.
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
    ],
  },
});
