import { browserAvailable, browserRequired, chromiumPath } from './chromium.ts';

/** Says once why the browser tests do not run, or fails when CI requires them (`.ci/run`). */
export default function setup(): void {
  if (browserAvailable) return;
  const line = `browser tests: no Chromium at ${chromiumPath} (install Debian's chromium or set CARACAL_CHROMIUM_PATH)`;
  if (browserRequired) throw new Error(`${line}; CARACAL_TEST_REQUIRE_BROWSER=1 requires it`);
  console.warn(`${line}: skipped`);
}
