/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // Jest's default 5 s is near what some tests really take on a busy machine (a CI runner beside
  // other jobs): a limit must only catch a hang, so it sits far above any real duration. Tests that
  // need longer still say so themselves.
  testTimeout: 120_000,
  // Writes lib/readers.ts from the registry; with loopback down the run ends at once, with its
  // closing line (scripts/jest-setup.js).
  globalSetup: '<rootDir>/scripts/jest-setup.js',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // The example requires the package by its own name (→ dist/); tests run it against the sources.
  moduleNameMapper: { '^express-envelope$': '<rootDir>/index.ts', '^express-envelope/client$': '<rootDir>/client/index.ts' },
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  collectCoverageFrom: ['index.ts', 'lib/**/*.ts', 'response/**/*.ts', 'middleware/**/*.ts', 'client/**/*.ts'],
  coverageReporters: ['text-summary', 'text'],
  reporters: ['default', '<rootDir>/scripts/summary-reporter.js'],
  coverageThreshold: { global: { statements: 95, branches: 90, functions: 95, lines: 95 } },
};
