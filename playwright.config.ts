import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH } from './tests/helpers/chromium';

/**
 * End-to-end tests in Debian's Chromium (`npx playwright install` cannot run
 * here) against the production build: run `npm run build` first. Each test
 * file starts its own server (tests/helpers/server.ts). Screenshots and traces
 * go under test-results/, which git ignores.
 */
export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/e2e',
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: '.tmp/playwright-report.json' }]],
  use: {
    browserName: 'chromium',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: CHROMIUM_LAUNCH,
  },
});
