import { describe, expect, it } from 'vitest';
import { saveScreenshot } from './support/screenshots.ts';
import { confirmDialog, delegationGraph, eventually, graphEdge, navLink, revealSession, statusBecomes, untilLive, withConsole } from './support/console-page.ts';
import type { ConsoleServer } from './support/console-server.ts';
import { seedDemoStory } from './support/demo-story.ts';
import { backends, browserAvailable, useBrowser, useServer } from './support/suite.ts';

interface TerminateDryRun { dry_run: true; terminated_sessions: number; revoked_edges: number; session_ids: string[]; edge_ids: string[] }
interface RevokeDryRun { dry_run: true; revoked_edges: number; affected_sessions: number; edge_ids: string[]; session_ids: string[] }

/** The dry run the console's dialog must state; refuses to go on when the server ignored `dry_run`. */
async function dryRun<T extends { dry_run: true }>(server: ConsoleServer, method: string, path: string): Promise<T> {
  const answer = await server.request(method, `${path}?dry_run=true`);
  expect(answer).toMatchObject({ status: 200, body: { dry_run: true } });
  return answer.body as unknown as T;
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

describe.runIf(browserAvailable)('console actions: terminate a subtree, revoke an edge (confirmed with the dry run\'s impact)', () => {
  const browser = useBrowser();

  describe.each(backends)('terminate on $name', (backend) => {
    const state = useServer(backend, seedDemoStory);

    it('states the dry run\'s impact, changes nothing on Cancel, and greys the subtree live on Confirm', async () => {
      const { server, seeded } = state();
      const { sessions } = seeded;
      await withConsole(browser(), server.url, server.operatorToken, async ({ page, cspViolations }) => {
        await untilLive(page);
        await revealSession(page, [sessions.orchestrator, sessions.worker, sessions.researcher]);
        await revealSession(page, [sessions.orchestrator, sessions.planner]);
        const worker = await revealSession(page, [sessions.orchestrator, sessions.worker]);
        const impact = await dryRun<TerminateDryRun>(server, 'DELETE', `/zones/${server.zoneId}/agents/${sessions.worker}`);
        expect(new Set(impact.session_ids)).toEqual(new Set([sessions.worker, sessions.researcher, sessions.writer]));

        await worker.click();
        await page.getByRole('button', { name: 'Terminate', exact: true }).click();
        const dialog = confirmDialog(page, `Terminate ${sessions.worker}?`);
        await dialog.waitFor();
        expect(await dialog.getAttribute('aria-modal')).toBe('true');
        // The dialog asks the server for its dry run when it opens: wait for the impact it states.
        const stated = `${plural(impact.terminated_sessions, 'session')} will be terminated, ${plural(impact.revoked_edges, 'delegation')} revoked`;
        await eventually(async () => (await dialog.innerText()).includes(stated), `the dialog to state "${stated}"`);
        await saveScreenshot(page, backend.name, 'confirm-terminate');
        await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
        await dialog.waitFor({ state: 'detached' });
        expect(await server.api('GET', `/zones/${server.zoneId}/agents/${sessions.worker}`)).toMatchObject({ status: 'active' });

        await page.getByRole('button', { name: 'Terminate', exact: true }).click();
        await dialog.getByRole('button', { name: 'Confirm', exact: true }).click();
        for (const id of impact.session_ids) {
          const path = id === sessions.worker ? [sessions.orchestrator, id] : [sessions.orchestrator, sessions.worker, id];
          await statusBecomes(await revealSession(page, path), 'terminated', id);
        }
        expect(await (await revealSession(page, [sessions.orchestrator, sessions.planner])).getAttribute('data-status')).not.toBe('terminated');
        expect(await server.api('GET', `/zones/${server.zoneId}/agents/${sessions.worker}`)).toMatchObject({ status: 'terminated' });
        expect(cspViolations).toEqual([]);
      });
    });
  });

  describe.each(backends)('revoke on $name', (backend) => {
    const state = useServer(backend, seedDemoStory);

    it('revokes the orchestrator → worker edge and shows the cascade through every edge derived from it', async () => {
      const { server, seeded } = state();
      const { edges } = seeded;
      await withConsole(browser(), server.url, server.operatorToken, async ({ page }) => {
        await untilLive(page);
        const impact = await dryRun<RevokeDryRun>(server, 'POST', `/zones/${server.zoneId}/delegations/${edges.worker}/revoke`);
        expect(new Set(impact.edge_ids)).toEqual(new Set([edges.worker, edges.researcher, edges.writer, edges.partner, edges.helper]));

        await navLink(page, 'Delegations').click();
        await delegationGraph(page).first().waitFor();
        const edge = graphEdge(page, edges.worker).first();
        await edge.click();
        await page.getByRole('button', { name: 'Revoke', exact: true }).click();
        const dialog = page.getByRole('dialog', { name: `Revoke ${edges.worker}?` });
        await dialog.waitFor();
        expect(await dialog.getAttribute('aria-modal')).toBe('true');
        const stated = `${plural(impact.revoked_edges, 'delegation')} will be revoked`;
        await eventually(async () => (await dialog.innerText()).includes(stated), `the dialog to state "${stated}"`);
        await saveScreenshot(page, backend.name, 'confirm-revoke');
        await dialog.getByRole('button', { name: 'Confirm', exact: true }).click();
        for (const id of impact.edge_ids) await statusBecomes(graphEdge(page, id), 'revoked', id);
        expect(await graphEdge(page, edges.planner).first().getAttribute('data-status')).toBe('active');
        expect(await server.api('GET', `/zones/${server.zoneId}/delegations/${edges.helper}`)).toMatchObject({ status: 'revoked' });
      });
    });
  });
});
