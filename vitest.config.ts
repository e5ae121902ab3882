import { defineConfig } from 'vitest/config';

// vitest would otherwise load graphql twice ("Duplicate graphql modules").
const resolve = { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] };

// test/ mirrors src/ (test/README.md): test/modules/<domain>/, test/platform/<area>/, test/kernel/, test/main/; plus
// test/browser (chromium against the app) and test/faults (injected infrastructure faults). `*.unit.test.ts` files
// are pure (no database, no app). The CPU-heavy image work (the invisible mark: marking, identification) is under
// test/modules/images/mark/ and has a lane of its own. The suite runs in phases on the two workers of a
// 2-core machine: first the mark lane, then the one test that must run alone, then everything else. So the CPU-bound image files never share the cores
// with the HTTP tests (whose timings they would stretch), and each image test has a timeout sized for a
// contended machine, not for a quiet one.
const MARK_LANE = 'test/modules/images/mark/**/*.test.ts';
// Measures a node's health latency and memory while it takes big images: alone, between the two phases, so no
// other test's CPU is in its numbers.
const ALONE = ['test/modules/images/mark/big-master.test.ts'];

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
          include: [MARK_LANE],
          exclude: ALONE,
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
          name: 'alone',
          include: ALONE,
          pool: 'forks',
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
          testTimeout: 300_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve,
        test: {
          name: 'modules+platform+main+browser+faults',
          include: [
            'test/modules/**/*.test.ts',
            'test/platform/**/*.test.ts',
            'test/kernel/**/*.test.ts',
            'test/main/**/*.test.ts',
            'test/browser/**/*.test.ts',
            'test/faults/**/*.test.ts',
            'test/clients/**/*.test.ts',
          ],
          exclude: [MARK_LANE],
          pool: 'forks',
          maxWorkers: 2,
          sequence: { groupOrder: 2 },
          // Quiet-machine test times are ≤ 5 s; spawning server processes takes 15 s on a heavily shared one.
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
