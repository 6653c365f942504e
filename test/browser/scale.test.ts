import { describe, expect, it } from 'vitest';
import { confirmDialog, delegationGraph, eventually, graphEdge, navLink, revealSession, sessionTree, untilLive, withConsole } from './support/console-page.ts';
import { LARGE_EDGES, LARGE_SESSIONS, seedLarge } from './support/large-seed.ts';
import { backends, browserAvailable, useBrowser, useServer } from './support/suite.ts';

describe.runIf(browserAvailable)(`console with ${LARGE_SESSIONS} sessions and ${LARGE_EDGES} edges`, () => {
  const browser = useBrowser();

  describe.each(backends)('$name', (backend) => {
    const state = useServer(backend, (server) => seedLarge(server), { manySessions: true, seedTimeoutMs: 600_000 });

    it('renders the tree without one DOM node per session, and a deep session can be reached, selected and acted on', async () => {
      const { server, seeded } = state();
      await withConsole(browser(), server.url, server.operatorToken, async ({ page }) => {
        await untilLive(page, { timeout: 30_000 });
        for (const root of seeded.roots) await revealSession(page, [root]);
        const lastChild = seeded.children.at(-1)!;
        const leaf = seeded.grandchildren.at(-1)!;
        const item = await revealSession(page, [seeded.roots.at(-1)!, lastChild, leaf]);
        await item.scrollIntoViewIfNeeded();
        await item.click();
        expect(await item.getAttribute('aria-selected')).toBe('true');
        await page.getByRole('button', { name: 'Terminate', exact: true }).click();
        const dialog = confirmDialog(page, `Terminate ${leaf}?`);
        await dialog.waitFor();
        await eventually(async () => (await dialog.innerText()).includes('1 session will be terminated'), 'the dry run\'s impact in the dialog');
        await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
        expect(await sessionTree(page).getByRole('treeitem').count()).toBeLessThan(LARGE_SESSIONS);
      });
    });

    it('keeps the delegation views virtualised: fewer rows and edges in the page than the 2,000 edges', async () => {
      const { server, seeded } = state();
      await withConsole(browser(), server.url, server.operatorToken, async ({ page }) => {
        // Focus the graph on one session: its edges are drawn.
        const leaf = seeded.grandchildren[0]!;
        await (await revealSession(page, [seeded.roots[0]!, seeded.children[0]!, leaf])).click();
        await navLink(page, 'Delegations').click();
        await delegationGraph(page).first().waitFor();
        const inbound = (await server.api<{ items: Array<{ id: string }> }>('GET', `/zones/${server.zoneId}/delegations?target_session_id=${leaf}`)).items;
        expect(inbound.length).toBeGreaterThan(1);
        for (const edge of inbound) await graphEdge(page, edge.id).first().waitFor();
        const table = page.getByRole('table', { name: 'Delegations' });
        await table.waitFor({ state: 'attached' });
        expect(await table.getByRole('row').count()).toBeLessThan(LARGE_EDGES);
        expect(await delegationGraph(page).first().locator('[data-status]').count()).toBeLessThan(LARGE_EDGES);
      });
    });
  });
});
