/** CPU suite by default; `npm run test:gpu` selects the GPU parity project. */
// The suites run the CUDA kernels' bodies on the host (device 'cuda-emu', lib/testing.ts), which
// the library refuses unless asked for. Set here, before jest starts its workers, so test files,
// the CLI processes they spawn and trainAsync's worker threads all inherit it.
if (process.env.MMGRAPH_EMULATOR === undefined) process.env.MMGRAPH_EMULATOR = '1';
const base = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
  setupFiles: ['<rootDir>/test/harness/seed_properties.ts'],
};
module.exports = {
  projects: [
    { ...base, displayName: 'cpu', testMatch: ['<rootDir>/test/**/*.test.ts'], testPathIgnorePatterns: ['/test/gpu/'] },
    { ...base, displayName: 'gpu', testMatch: ['<rootDir>/test/gpu/**/*.test.ts'] },
  ],
  testTimeout: 120000,
};
