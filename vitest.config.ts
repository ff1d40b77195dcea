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
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // A control plane and a real node (kubelet, containerd, runc, CNI) for the whole run.
          globalSetup: ['test/harness/e2e-setup.ts'],
          setupFiles: ['test/harness/print-logs-on-failure.ts'],
          // Pods really run: a CronJob waits for the next minute, a failing Job for its retry
          // back-off (10 s, then 20 s), and a 2-core machine starts containers slowly.
          testTimeout: 240_000,
          hookTimeout: 120_000,
          pool: 'forks',
          // The files mostly wait on Pods and controllers, so they share the 2 cores well: run
          // several at once instead of the one vitest would choose for 2 cores.
          poolOptions: { forks: { maxForks: 4 } },
        },
      },
    ],
  },
});
