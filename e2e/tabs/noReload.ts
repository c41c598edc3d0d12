import { test as base } from '@playwright/test';

/**
 * Playwright's `test`, with Vite's live reload switched off for the pages of these specs: the
 * dev server reloads a page whenever a source file it imports changes, and in a shared checkout
 * other work changes sources while a multi-tab test runs (a reload loses the tab's state). The
 * client module is replaced by a stub that keeps its exports and never reloads.
 */
export const test = base.extend({
  context: async ({ context }, use) => {
    await context.route('**/@vite/client', (route) =>
      route.fulfill({
        contentType: 'application/javascript',
        body: [
          'const hot = { data: {}, accept() {}, acceptExports() {}, dispose() {}, prune() {}, decline() {}, invalidate() {}, on() {}, off() {}, send() {} };',
          'export const createHotContext = () => hot;',
          'export const updateStyle = () => {};',
          'export const removeStyle = () => {};',
          'export const injectQuery = (url) => url;',
          'export class ErrorOverlay {}',
        ].join('\n'),
      }),
    );
    await use(context);
  },
});

export { expect } from '@playwright/test';
