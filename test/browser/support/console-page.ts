import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { setTimeout as delay } from 'node:timers/promises';

/** A page of the console in its own browser context, and what it asked the network for. */
export interface ConsolePage {
  page: Page;
  context: BrowserContext;
  /** Every URL the page requested (the token must never appear in one). */
  requests: string[];
  /** Console messages about a Content-Security-Policy violation (the app needs no inline code). */
  cspViolations: string[];
  close(): Promise<void>;
}

/** Opens `/console/` (signed in with `token` through the fragment when given) on `baseUrl`. */
export async function openConsole(browser: Browser, baseUrl: string, token?: string): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const requests: string[] = [];
  const cspViolations: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  await page.goto(`${baseUrl}/console/${token === undefined ? '' : `#token=${encodeURIComponent(token)}`}`);
  return { page, context, requests, cspViolations, close: () => context.close() };
}

/** Opens the console as `openConsole` does, hands it to `use`, and closes it however `use` ends. */
export async function withConsole(
  browser: Browser,
  baseUrl: string,
  token: string | undefined,
  use: (consolePage: ConsolePage) => Promise<void>,
): Promise<void> {
  const consolePage = await openConsole(browser, baseUrl, token);
  try {
    await use(consolePage);
  } finally {
    await consolePage.close();
  }
}

/**
 * Resolves when `check` holds, polling every 20 ms up to `timeoutMs`: a bounded wait on what the
 * page shows, never a sleep standing in for one (shared with bench/console.ts, outside vitest).
 */
export async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(20);
  }
}

const escape = (text: string): string => text.replaceAll(/[$()*+.?[\\\]^{|}]/g, String.raw`\$&`);
/** An accessible name that starts with `prefix` (tree items and edges are named by their id first). */
export const startsWith = (prefix: string): RegExp => new RegExp(`^${escape(prefix)}`);

export const sessionTree = (page: Page): Locator => page.getByRole('tree', { name: 'Session tree' });
export const treeItem = (page: Page, sessionId: string): Locator => sessionTree(page).getByRole('treeitem', { name: startsWith(sessionId) });
export const feedStatus = (page: Page): Locator => page.getByRole('status').filter({ hasText: /^(Live|Reconnecting…)$/ });
/** Resolves once the zone feed says Live (the page has its lists and follows the feed). */
export const untilLive = (page: Page, options: { timeout?: number } = {}): Promise<void> => feedStatus(page).filter({ hasText: 'Live' }).waitFor(options);
export const navLink = (page: Page, name: 'Sessions' | 'Delegations' | 'Runs' | 'Runners' | 'Blueprints'): Locator =>
  page.getByRole('navigation').getByRole('link', { name, exact: true });
export const delegationGraph = (page: Page): Locator =>
  page.getByRole('img', { name: 'Delegation graph' }).or(page.getByRole('group', { name: 'Delegation graph' }));
/** An edge of the graph: a focusable element named starting with the edge id. */
export const graphEdge = (page: Page, edgeId: string): Locator => delegationGraph(page).getByRole('button', { name: startsWith(edgeId) })
  .or(delegationGraph(page).getByRole('link', { name: startsWith(edgeId) }))
  .or(delegationGraph(page).locator(`[aria-label^="${edgeId}"]`));
export const confirmDialog = (page: Page, title: string): Locator => page.getByRole('dialog', { name: title });

/**
 * Scrolls the (virtualised) tree from the top, a screen at a time, until the item of `sessionId`
 * is rendered, as a user scrolling would; fails at the bottom without it.
 */
async function scrollToItem(page: Page, sessionId: string): Promise<Locator> {
  const item = treeItem(page, sessionId);
  await sessionTree(page).waitFor();
  if ((await item.count()) > 0) return item;
  // Scrolls, then resolves after two frames: the virtual list has rendered the rows now in view.
  const scroll = (from: 'top' | 'next') =>
    sessionTree(page).evaluate(async (tree, where) => {
      let box: HTMLElement | null = tree as HTMLElement;
      while (box !== null && box.scrollHeight <= box.clientHeight) box = box.parentElement;
      if (box === null) return false;
      if (where === 'top') box.scrollTop = 0;
      else box.scrollTop += Math.max(box.clientHeight * 0.8, 40);
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      return box.scrollTop + box.clientHeight < box.scrollHeight;
    }, from);
  let more = await scroll('top');
  for (;;) {
    if ((await item.count()) > 0) return item;
    if (!more) {
      await item.waitFor({ state: 'attached', timeout: 2_000 });
      return item;
    }
    more = await scroll('next');
  }
}

/** Shows the tree item of `path`'s last session, expanding each ancestor (ArrowRight on a closed item, the tree pattern). */
export async function revealSession(page: Page, path: readonly string[]): Promise<Locator> {
  for (const ancestor of path.slice(0, -1)) {
    const item = await scrollToItem(page, ancestor);
    if ((await item.getAttribute('aria-expanded')) === 'false') {
      await item.focus();
      await page.keyboard.press('ArrowRight');
      await eventually(async () => (await item.getAttribute('aria-expanded')) === 'true', `${ancestor} to expand`);
    }
  }
  const target = await scrollToItem(page, path.at(-1)!);
  await target.scrollIntoViewIfNeeded();
  return target;
}

/** Waits until the item or edge carries `data-status="status"`. */
export async function statusBecomes(locator: Locator, status: string, what: string, timeoutMs?: number): Promise<void> {
  await eventually(async () => (await locator.first().getAttribute('data-status')) === status, `${what} to be ${status}`, timeoutMs);
}
