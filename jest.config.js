/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
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
