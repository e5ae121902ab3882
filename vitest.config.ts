import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // vitest would otherwise load graphql twice ("Duplicate graphql modules").
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: more workers only contend for them.
    maxWorkers: 2,
  },
});
