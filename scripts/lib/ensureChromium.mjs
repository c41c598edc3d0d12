import { existsSync } from 'node:fs';
import { isRoot, run } from './run.mjs';

export const chromiumPath = process.env.EVENTWIRE_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Makes sure the system Chromium is there: installs Debian's `chromium` when missing and we
 * are root (Playwright's own browser download cannot work on these machines).
 * @returns whether Chromium is available
 */
export async function ensureChromium() {
  if (existsSync(chromiumPath)) return true;
  if (!isRoot) {
    console.log(`[eventwire] ${chromiumPath} is missing and this user is not root: install Debian's chromium package`);
    return false;
  }
  console.log('[eventwire] installing Debian chromium (apt-get install chromium)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-qq'], { env });
  const code = await run('apt-get', ['install', '-y', '-qq', 'chromium'], { env });
  return code === 0 && existsSync(chromiumPath);
}
