import { defineConfig } from 'vitest/config';

// Projects: `unit` (pure code), `db-pglite` and `db-postgres` (every *.db.test.ts on each engine),
// `e2e` (Chromium, killed servers, CLI). `npm test` runs them all; see DEVELOPERS.md "Tests".
const DB_TESTS = ['src/**/*.db.test.ts', 'test/**/*.db.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts', 'web/**/*.test.ts'],
          exclude: DB_TESTS,
        },
      },
      {
        extends: true,
        test: {
          name: 'db-pglite',
          include: DB_TESTS,
          env: { YIQU_TEST_DB: 'pglite' },
          globalSetup: ['./test/helpers/global-pglite.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'db-postgres',
          include: DB_TESTS,
          env: { YIQU_TEST_DB: 'postgres' },
          globalSetup: ['./test/helpers/global-postgres.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['./test/helpers/global-pglite.ts', './test/helpers/global-postgres.ts'],
          fileParallelism: false,
        },
      },
    ],
  },
});
