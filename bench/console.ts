/// <reference lib="dom" /> -- the page-side functions below run in Chromium
/**
 * The operator console in headless Chromium, with 500 sessions and 2,000 delegation edges:
 *   - first meaningful paint: navigation start → the session tree's first item visible (≤ 1.5 s);
 *   - a terminate through the API → its tree item greyed in the open console, p95 of 50 (≤ 300 ms);
 *   - the size of packages/console/dist, raw and gzip (JS target < 150 KiB gzip).
 * Not run in CI. Run: `pnpm run build && node bench/console.ts` (needs /usr/bin/chromium or
 * CARACAL_CHROMIUM_PATH; Postgres + Redis when CARACAL_TEST_DATABASE_URL / _REDIS_URL are set).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { testBackends } from '../packages/server/test/helpers/backends.ts';
import { browserAvailable, chromiumPath, launchBrowser } from '../test/browser/support/chromium.ts';
import { feedStatus, revealSession, treeItem } from '../test/browser/support/console-page.ts';
import { startConsoleServer } from '../test/browser/support/console-server.ts';
import { LARGE_EDGES, LARGE_SESSIONS, seedLarge } from '../test/browser/support/large-seed.ts';

const TARGET = { firstPaintMs: 1_500, greyedP95Ms: 300, jsGzipKiB: 150 } as const;
const PAINT_TRIALS = 5;
const TERMINATE_TRIALS = 50;
const dist = fileURLToPath(new URL('../packages/console/dist/', import.meta.url));

const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');
const verdict = (ok: boolean, text: string) => console.log(`${ok ? 'PASS' : 'MISS'}  ${text}`);
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(p * values.length) - 1)]!;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

// Runs in the page before its own scripts (over the DevTools protocol, so the CSP allows it):
// records when the first tree item is laid out, in ms since navigation start, at the next frame.
function watchFirstItem(): void {
  const state = globalThis as unknown as { caracalFirstItem?: number };
  const observer = new MutationObserver(() => {
    const item = document.querySelector('[role="treeitem"]');
    if (item === null || item.getBoundingClientRect().height === 0) return;
    observer.disconnect();
    requestAnimationFrame(() => {
      state.caracalFirstItem = performance.now();
    });
  });
  observer.observe(document, { childList: true, subtree: true });
}

// Runs in the page: resolves with the epoch time (ms) at which the tree item named by `id` is
// marked terminated. Tree items are re-rendered by the virtual list, so each mutation re-queries.
function watchTerminated(id: string): void {
  const state = globalThis as unknown as { caracalGreyed?: Promise<number> };
  state.caracalGreyed = new Promise((resolve) => {
    const greyed = () =>
      [...document.querySelectorAll('[role="treeitem"][data-status="terminated"]')].some((item) =>
        (item.getAttribute('aria-label') ?? item.textContent ?? '').trimStart().startsWith(id));
    const observer = new MutationObserver(() => {
      if (!greyed()) return;
      observer.disconnect();
      resolve(performance.timeOrigin + performance.now());
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
  });
}

function bundleSize(): { files: number; raw: number; gzip: number; jsRaw: number; jsGzip: number } {
  const sizes = { files: 0, raw: 0, gzip: 0, jsRaw: 0, jsGzip: 0 };
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
        continue;
      }
      const raw = statSync(path).size;
      const gzip = gzipSync(readFileSync(path), { level: 9 }).length;
      sizes.files += 1;
      sizes.raw += raw;
      sizes.gzip += gzip;
      if (entry.name.endsWith('.js')) {
        sizes.jsRaw += raw;
        sizes.jsGzip += gzip;
      }
    }
  };
  walk(dist);
  return sizes;
}

async function firstPaint(page: Page, url: string): Promise<number> {
  await page.addInitScript(watchFirstItem);
  await page.goto(url);
  await page.waitForFunction(() => (globalThis as unknown as { caracalFirstItem?: number }).caracalFirstItem !== undefined, undefined, { timeout: 30_000 });
  return page.evaluate(() => (globalThis as unknown as { caracalFirstItem: number }).caracalFirstItem);
}

async function main(): Promise<void> {
  console.log(`Console — ${LARGE_SESSIONS} sessions, ${LARGE_EDGES} edges; load average ${load()}`);
  const size = bundleSize();
  console.log(`bundle packages/console/dist: ${size.files} files, ${kib(size.raw)} raw, ${kib(size.gzip)} gzip; JS ${kib(size.jsRaw)} raw, ${kib(size.jsGzip)} gzip`);
  verdict(size.jsGzip / 1024 < TARGET.jsGzipKiB, `JS gzip ${kib(size.jsGzip)} < ${TARGET.jsGzipKiB} KiB (ratio ${(size.jsGzip / 1024 / TARGET.jsGzipKiB).toFixed(2)})`);
  if (!browserAvailable) {
    console.log(`SKIP  no Chromium at ${chromiumPath}`);
    return;
  }
  const browser = await launchBrowser();
  try {
    for (const backend of testBackends()) {
      const server = await startConsoleServer(backend, { manySessions: true });
      try {
        const seedStart = performance.now();
        const seeded = await seedLarge(server);
        console.log(`[${backend.name}] seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s (load ${load()})`);
        const url = `${server.url}/console/#token=${encodeURIComponent(server.operatorToken)}`;

        const paints: number[] = [];
        for (let trial = 0; trial < PAINT_TRIALS; trial += 1) {
          const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
          try {
            paints.push(await firstPaint(await context.newPage(), url));
          } finally {
            await context.close();
          }
        }
        const paintMedian = percentile(paints, 0.5);
        console.log(`[${backend.name}] first meaningful paint (first tree item visible) over ${PAINT_TRIALS} loads: median ${paintMedian.toFixed(0)} ms, max ${Math.max(...paints).toFixed(0)} ms (load ${load()})`);
        verdict(paintMedian <= TARGET.firstPaintMs, `[${backend.name}] first paint median ${paintMedian.toFixed(0)} ms ≤ ${TARGET.firstPaintMs} ms (ratio ${(paintMedian / TARGET.firstPaintMs).toFixed(2)})`);

        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        try {
          const page = await context.newPage();
          await page.goto(url);
          await feedStatus(page).filter({ hasText: 'Live' }).waitFor({ timeout: 30_000 });
          const latencies: number[] = [];
          for (let trial = 0; trial < TERMINATE_TRIALS; trial += 1) {
            const child = Math.floor(trial / 10);
            const leaf = seeded.grandchildren[trial]!;
            const root = seeded.roots[Math.floor(child / 9)]!;
            await (await revealSession(page, [root, seeded.children[child]!, leaf])).scrollIntoViewIfNeeded();
            await page.evaluate(watchTerminated, leaf);
            const sent = performance.timeOrigin + performance.now();
            await server.api('DELETE', `/zones/${server.zoneId}/agents/${leaf}`);
            const greyed = await page.evaluate(() => (globalThis as unknown as { caracalGreyed: Promise<number> }).caracalGreyed);
            latencies.push(greyed - sent);
            await treeItem(page, leaf).waitFor();
          }
          const p50 = percentile(latencies, 0.5);
          const p95 = percentile(latencies, 0.95);
          console.log(`[${backend.name}] API terminate → item greyed, ${TERMINATE_TRIALS} trials: p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms (load ${load()})`);
          verdict(p95 <= TARGET.greyedP95Ms, `[${backend.name}] terminate → greyed p95 ${p95.toFixed(0)} ms ≤ ${TARGET.greyedP95Ms} ms (ratio ${(p95 / TARGET.greyedP95Ms).toFixed(2)})`);
        } finally {
          await context.close();
        }
      } finally {
        await server.close();
      }
    }
  } finally {
    await browser.close();
  }
  console.log(`load average ${load()} at the end`);
}

await main();
