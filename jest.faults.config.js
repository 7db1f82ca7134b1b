/** The fault suite (`npm run test:faults`): real processes, real PostgreSQL and Redis of its own, faults injected
 * from outside (kill -9, SIGTERM, servers stopped, the Bot API failing). Slower than `npm test`, so apart. */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/faults'],
  testMatch: ['**/*.fault.ts'],
  testTimeout: 600_000,
  // One fault at a time: each stops servers and kills processes, and timings under load are what they test.
  maxWorkers: 1,
};
