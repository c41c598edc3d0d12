import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { lowerStandardDecorators } from './scripts/lib/lowerStandardDecorators.js';

/**
 * Tests by file suffix:
 * - `*.test.ts`         portable: run in Node and in real Chromium
 * - `*.node.test.ts`    Node only (child processes, brokers, fake-indexeddb)
 * - `*.browser.test.ts` Chromium only (IndexedDB, BroadcastChannel, workers)
 * Playwright specs (`e2e/*.spec.ts`) are run by `playwright test`, not here.
 */
const sourceCondition = '@eventwire/source';
const chromium = process.env.EVENTWIRE_CHROMIUM ?? '/usr/bin/chromium';
const testRoots = ['packages/*/src/**', 'apps/*/src/**', 'examples/**'];

export default defineConfig({
  plugins: [lowerStandardDecorators()],
  resolve: { conditions: [sourceCondition, 'module', 'browser', 'development|production'] },
  ssr: { resolve: { conditions: [sourceCondition, 'module', 'node', 'development|production'] } },
  test: {
    reporters: process.env.CI ? ['default'] : ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: testRoots.flatMap((root) => [`${root}/*.test.ts`]),
          exclude: ['**/node_modules/**', '**/*.browser.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: testRoots.flatMap((root) => [`${root}/*.test.ts`]),
          exclude: ['**/node_modules/**', '**/*.node.test.ts'],
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: {
                executablePath: chromium,
                args: [
                  '--no-sandbox',
                  '--disable-gpu',
                  '--disable-quic',
                  '--no-first-run',
                  '--disable-background-networking',
                  '--disable-component-update',
                  '--disable-sync',
                ],
              },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
