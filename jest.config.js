/** CPU suite by default; `npm run test:gpu` selects the GPU parity project. */
const base = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
};
module.exports = {
  projects: [
    { ...base, displayName: 'cpu', testMatch: ['<rootDir>/test/**/*.test.ts'], testPathIgnorePatterns: ['/test/gpu/'] },
    { ...base, displayName: 'gpu', testMatch: ['<rootDir>/test/gpu/**/*.test.ts'] },
  ],
  testTimeout: 120000,
};
