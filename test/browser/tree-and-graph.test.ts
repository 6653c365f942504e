import { describe, expect, it } from 'vitest';
import { seriousViolations, type AxeViolation } from './support/axe.ts';
import { delegationGraph, eventually, graphEdge, navLink, revealSession, sessionTree, startsWith, untilLive, withConsole } from './support/console-page.ts';
import { seedDemoStory } from './support/demo-story.ts';
import { saveScreenshot } from './support/screenshots.ts';
import { backends, browserAvailable, useBrowser, useServer } from './support/suite.ts';

describe.runIf(browserAvailable)('console: the session tree and the delegation graph of the demo story', () => {
  const browser = useBrowser();

  describe.each(backends)('$name', (backend) => {
    const state = useServer(backend, seedDemoStory);

    it('shows every session of the story in the tree, named by id, application and depth, with its status', async () => {
      const { server, seeded } = state();
      await withConsole(browser(), server.url, server.operatorToken, async ({ page, cspViolations }) => {
        const { sessions } = seeded;
        await untilLive(page);
        const paths = [
          [sessions.orchestrator, sessions.worker, sessions.researcher],
          [sessions.orchestrator, sessions.worker, sessions.writer],
          [sessions.orchestrator, sessions.planner],
          [sessions.partner, sessions.helper],
        ];
        for (const path of paths) await revealSession(page, path);
        const worker = await revealSession(page, [sessions.orchestrator, sessions.worker]);
        const name = (await worker.getAttribute('aria-label')) ?? (await worker.innerText());
        expect(name).toMatch(startsWith(sessions.worker));
        expect(await worker.getAttribute('aria-expanded')).toBe('true');
        expect(await worker.innerText()).toMatch(/active|running/i);
        expect(await sessionTree(page).getByRole('treeitem', { name: startsWith(sessions.researcher) }).getAttribute('data-status')).not.toBe('terminated');
        await worker.click();
        await page.getByRole('button', { name: 'Terminate', exact: true }).waitFor();
        await saveScreenshot(page, backend.name, 'tree');
        expect(cspViolations).toEqual([]);
      });
    });

    it('draws the delegation graph (each edge focusable, named by its id, with its status) and the table fallback', async () => {
      const { server, seeded } = state();
      await withConsole(browser(), server.url, server.operatorToken, async ({ page }) => {
        await navLink(page, 'Delegations').click();
        await delegationGraph(page).first().waitFor();
        for (const edgeId of Object.values(seeded.edges)) await graphEdge(page, edgeId).first().waitFor();
        // A graph up to a third wider than its pane is drawn smaller to fit it (at least 3/4 of its
        // size, so its ids stay readable); a wider one scrolls. The story's four ranks are 1,740 px:
        // at 1280 px they scroll at 3/4 size, at 1600 px they fit.
        const fit = async () =>
          page.locator('.graph-scroll').evaluate((element) => {
            const svg = element.querySelector('svg')!;
            return { scroll: element.scrollWidth, client: element.clientWidth, drawn: svg.getBoundingClientRect().width, natural: svg.viewBox.baseVal.width };
          });
        const narrow = await fit();
        expect(narrow.drawn).toBeCloseTo(Math.ceil(narrow.natural * 0.75), 0);
        await page.setViewportSize({ width: 1600, height: 800 });
        await eventually(async () => {
          const wide = await fit();
          return wide.scroll <= wide.client && wide.drawn < wide.natural;
        }, 'the graph drawn to fit a 1600 px window');
        await page.setViewportSize({ width: 1280, height: 800 });
        await saveScreenshot(page, backend.name, 'graph');
        for (const edgeId of Object.values(seeded.edges)) {
          const edge = graphEdge(page, edgeId).first();
          expect(await edge.getAttribute('data-status')).toBe('active');
          await edge.focus();
          expect(await edge.evaluate((element) => element === document.activeElement || element.contains(document.activeElement))).toBe(true);
        }
        const table = page.getByRole('table', { name: 'Delegations' });
        await table.waitFor({ state: 'attached' });
        for (const edgeId of Object.values(seeded.edges)) await table.getByRole('row').filter({ hasText: edgeId }).first().waitFor({ state: 'attached' });
      });
    });

    it('has no serious or critical axe violations on any main view', async () => {
      const { server } = state();
      await withConsole(browser(), server.url, server.operatorToken, async ({ page, cspViolations }) => {
        const found: Array<{ view: string; violations: AxeViolation[] }> = [];
        for (const view of ['Sessions', 'Delegations', 'Runs', 'Runners', 'Blueprints'] as const) {
          const link = navLink(page, view);
          await link.click();
          await eventually(async () => (await link.getAttribute('aria-current')) === 'page' || (await page.getByRole('heading', { name: view }).count()) > 0, `the ${view} view`);
          found.push({ view, violations: await seriousViolations(page) });
        }
        // Every view is checked before failing, so one run names all of them.
        expect(found.filter((entry) => entry.violations.length > 0)).toEqual([]);
        expect(cspViolations).toEqual([]);
      });
    });
  });
});
