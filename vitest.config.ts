import { defineConfig } from 'vitest/config';

/** Tests that start a browser, a server or an installed package: they need scripts/system-deps.sh. */
const E2E = [
  'test/e2e/**/*.test.ts',
  'test/site/browser*.test.ts',
  'test/site/subpath.test.ts',
  'test/site/responder.test.ts',
  'test/site/dev.test.ts',
  'test/ci-recipes.test.ts',
  'test/served-rules.test.ts',
  'test/rule-valid-promtool.test.ts',
];

/**
 * Unit test files that mock a module (vi.mock): a mock applies only where the module is loaded
 * afresh, so these run isolated, apart from the files that share their worker's modules.
 */
const MOCKS = ['test/site/one-read.test.ts', 'test/cache-replace.test.ts', 'test/cache-close.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    reporters: ['default', './test/support/closing-line.ts'],
    projects: [
      // Unit test files share their worker's loaded modules (isolate: false): none leaves process
      // state behind, and importing the sources again for every file was a large part of the
      // suite's CPU time. One worker per core: Vitest's default leaves one core for itself, which
      // on a two-core machine ran the files one at a time. `npm run test:unit` runs both unit projects.
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...E2E, ...MOCKS], isolate: false, maxWorkers: '100%' },
      },
      { extends: true, test: { name: 'unit-mocks', include: MOCKS, maxWorkers: '100%' } },
      // Browsers and servers keep the defaults, and start after the unit files (projects that run
      // with a different number of workers need their own group).
      {
        extends: true,
        test: { name: 'e2e', include: E2E, globalSetup: ['./test/support/system-deps.ts'], sequence: { groupOrder: 1 } },
      },
    ],
  },
});
