import type { BrowserContext } from '@playwright/test';

/**
 * Switches Vite's live reload off for every page of a context: in a shared checkout other work
 * changes sources while a multi-tab test runs, and a reload would lose a tab's state. The client
 * module is replaced by a stub that keeps its exports, applies CSS modules (the demo imports its
 * stylesheet) and never reloads. (Like e2e/tabs/noReload.ts, for contexts made with `browser.newContext`.)
 */
export async function withoutLiveReload(context: BrowserContext): Promise<BrowserContext> {
  await context.route('**/@vite/client', (route) => route.fulfill({ contentType: 'application/javascript', body: viteClientStub }));
  return context;
}

/** The client stub (bench/devtools.bench.mjs inlines a copy without CSS, its pages have none). */
const viteClientStub = [
  'const hot = { data: {}, accept() {}, acceptExports() {}, dispose() {}, prune() {}, decline() {}, invalidate() {}, on() {}, off() {}, send() {} };',
  'const styles = new Map();',
  'export const createHotContext = () => hot;',
  'export const updateStyle = (id, css) => {',
  '  let style = styles.get(id);',
  "  if (!style) { style = document.createElement('style'); style.dataset.viteDevId = id; document.head.append(style); styles.set(id, style); }",
  '  style.textContent = css;',
  '};',
  'export const removeStyle = (id) => { styles.get(id)?.remove(); styles.delete(id); };',
  'export const injectQuery = (url) => url;',
  'export class ErrorOverlay {}',
].join('\n');
