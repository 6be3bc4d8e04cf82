import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/helpers/globalSetup.ts'],
    environment: 'node',
    pool: 'forks',
    // Two cores: hubs as child processes plus Chromium do not fit more workers.
    maxWorkers: 2,
    // Deadlines for a test that hangs, not speed limits: on a loaded machine (load average 13+ on
    // these two cores) starting a hub and signing people in takes many times as long as when quiet.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', './tests/helpers/countReporter.ts'],
  },
});
