import { defineConfig } from 'vitest/config';

// vitest would otherwise load graphql twice ("Duplicate graphql modules").
const resolve = { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] };

// Tests are grouped by kind (test/<kind>/): unit = pure and fast, integration = HTTP / PostgreSQL / Redis,
// browser = chromium against the app, faults = injected infrastructure faults, images = CPU-heavy image work
// (marking, identification). The suite runs in two phases on the
// two workers of a 2-core machine: first the images lane, then unit + integration. So the CPU-bound image files
// never share the cores with the HTTP tests (whose timings they would stretch), and each image test has a
// timeout sized for a contended machine, not for a quiet one.
export default defineConfig({
  resolve,
  test: {
    globalSetup: ['test/helpers/global-setup.ts'],
    pool: 'forks',
    // Two cores: more workers only contend for them.
    maxWorkers: 2,
    projects: [
      {
        resolve,
        test: {
          name: 'images',
          include: ['test/images/**/*.test.ts'],
          pool: 'forks',
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
          // The heavy tests set their own (larger) timeouts; this is the floor for the rest of the lane.
          testTimeout: 60_000,
          hookTimeout: 300_000,
        },
      },
      {
        resolve,
        test: {
          name: 'unit+integration+browser+faults',
          include: [
            'test/unit/**/*.test.ts',
            'test/integration/**/*.test.ts',
            'test/browser/**/*.test.ts',
            'test/faults/**/*.test.ts',
            'test/clients/**/*.test.ts',
          ],
          pool: 'forks',
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
          // Quiet-machine test times are ≤ 5 s; spawning server processes takes 15 s on a heavily shared one.
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
