/**
 * Two projects: `unit` runs the pure-logic tests that sit beside their code (`*.test.ts` outside test/);
 * `integration` runs test/ against the real stack started by `npm run stack:up`.
 * @type {import('jest').Config}
 */
const tsJest = { '^.+\\.ts$': 'ts-jest' };
const ignore = ['/node_modules/', '/.run/', '/.cache/', '/console/dist/'];

module.exports = {
  // Integration tests wait for real services (Debezium, Kafka, Tryton); unit tests finish far below this.
  testTimeout: 180000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform: tsJest,
      testMatch: ['<rootDir>/**/*.test.ts'],
      testPathIgnorePatterns: [...ignore, '<rootDir>/test/'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform: tsJest,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ignore,
    },
  ],
};
