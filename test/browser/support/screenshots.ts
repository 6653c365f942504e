import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';

const root = fileURLToPath(new URL('../../../', import.meta.url));
/** Test artifacts (gitignored). */
const artifacts = `${root}test-results/console`;
/** The committed pictures of docs/console.md, rewritten only when asked. */
const docs = `${root}docs/console`;
const updateDocs = process.env.CARACAL_UPDATE_SCREENSHOTS === '1';

/**
 * Saves a screenshot of the page (or one element) as `test-results/console/<backend>-<name>.png`;
 * with `CARACAL_UPDATE_SCREENSHOTS=1`, the embedded run also writes `docs/console/<name>.png`.
 */
export async function saveScreenshot(target: Page | Locator, backend: string, name: string): Promise<void> {
  await mkdir(artifacts, { recursive: true });
  await target.screenshot({ path: `${artifacts}/${backend}-${name}.png` });
  if (updateDocs && backend === 'embedded') {
    await mkdir(docs, { recursive: true });
    await target.screenshot({ path: `${docs}/${name}.png` });
  }
}
