import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * The machine's Chromium (Debian's `chromium` package): playwright-core drives it and never
 * downloads a browser of its own (docs/console.md, "Browser tests").
 */
export const chromiumPath = process.env.CARACAL_CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether the browser tests can run here; `./run test` installs the package when it can. */
export const browserAvailable = existsSync(chromiumPath);

/** CI sets this so a missing browser fails the run instead of skipping the browser tests. */
export const browserRequired = process.env.CARACAL_TEST_REQUIRE_BROWSER === '1';

/** Flags for a headless browser in a container: no sandbox, GPU, updates, sync or first-run UI. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;

/** One headless browser (a test file launches one and opens a page per test). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: [...CHROMIUM_FLAGS] });
}
