/** One jest run for unit, integration and end-to-end specs. TZ=UTC is set in package.json so that no
 * code can lean on the machine's zone: everything Moscow-specific names Europe/Moscow explicitly. */
module.exports = {
  testEnvironment: 'node',
  roots: [
    '<rootDir>/admin',
    '<rootDir>/core',
    '<rootDir>/bot',
    '<rootDir>/worker',
    '<rootDir>/infra',
    '<rootDir>/scripts',
    '<rootDir>/standin',
    '<rootDir>/test',
  ],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest'] },
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|file-type|strtok3|token-types|uint8array-extras|@tokenizer|peek-readable|@borewit)/)',
  ],
  setupFiles: ['reflect-metadata'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  // A spec that fails gets the end of its processes' log printed under it (test/support/spec-log.ts).
  reporters: ['default', '<rootDir>/test/support/spec-logs.js'],
  // A bound on liveness, not on speed: under a parallel load a journey of dozens of updates takes minutes.
  testTimeout: 120_000,
};
