import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { eventually, feedStatus, revealSession, statusBecomes, untilLive, withConsole } from './support/console-page.ts';
import { ORCHESTRATOR_APP, PARTNER_APP, type ApplicationId, type ConsoleServer } from './support/console-server.ts';
import { startCutProxy } from './support/cut-proxy.ts';
import { seedDemoStory } from './support/demo-story.ts';
import { saveScreenshot } from './support/screenshots.ts';
import { backends, browserAvailable, useBrowser, useServer } from './support/suite.ts';

/** What an agent at work reports, one event at a time. */
const WORK = [
  { event_type: 'run_start', run_id: 'run-browser' },
  { event_type: 'pre_tool', run_id: 'run-browser', tool_name: 'search', tool_input: { query: 'invoices' } },
  { event_type: 'post_tool', run_id: 'run-browser', tool_name: 'search', tool_output: { hits: 3 } },
  { event_type: 'result', run_id: 'run-browser', result_text: 'found 3 invoices', result_data: { hits: 3 } },
];

const timeline = (page: Page) => page.getByRole('log', { name: 'Timeline' });

/** The texts of the timeline's entries (articles or list items), in order. */
async function entries(page: Page): Promise<string[]> {
  return timeline(page).locator('article, [role="article"], li, [role="listitem"]').allInnerTexts();
}

/** Posts an event as the session's application (the agent reporting its work). */
async function post(server: ConsoleServer, sessionId: string, event: object, application: ApplicationId = ORCHESTRATOR_APP): Promise<void> {
  await server.api('POST', `/sessions/${sessionId}/events`, event, application);
}

describe.runIf(browserAvailable)('console timeline and live feeds', () => {
  const browser = useBrowser();

  describe.each(backends)('$name', (backend) => {
    const state = useServer(backend, seedDemoStory);

    it('follows a session\'s timeline while the agent works: each posted event appears live', async () => {
      const { server, seeded } = state();
      const { sessions } = seeded;
      await withConsole(browser(), server.url, server.operatorToken, async ({ page }) => {
        await untilLive(page);
        await (await revealSession(page, [sessions.orchestrator, sessions.planner])).click();
        await timeline(page).waitFor();
        for (const [index, event] of WORK.entries()) {
          await post(server, sessions.planner, event);
          await eventually(async () => (await entries(page)).filter((text) => text.includes(event.event_type)).length > 0, `${event.event_type} in the timeline`);
          expect((await entries(page)).length).toBeGreaterThanOrEqual(index + 1);
        }
        const texts = await entries(page);
        const order = WORK.map((event) => texts.findIndex((text) => text.includes(event.event_type)));
        expect(order).toEqual([...order].sort((a, b) => a - b));
        await saveScreenshot(page, backend.name, 'timeline');
      });
    });

    it('shows "Reconnecting…" when the feeds drop, then resumes without losing what happened meanwhile', async () => {
      const { server, seeded } = state();
      const { sessions } = seeded;
      const proxy = await startCutProxy(server.url);
      try {
        await withConsole(browser(), proxy.url, server.operatorToken, async ({ page }) => {
          const status = feedStatus(page);
          await status.filter({ hasText: 'Live' }).waitFor();
          await (await revealSession(page, [sessions.partner, sessions.helper])).click();
          await timeline(page).waitFor();
          await post(server, sessions.helper, { event_type: 'run_start', run_id: 'run-cut' }, PARTNER_APP);
          await eventually(async () => (await entries(page)).some((text) => text.includes('run_start')), 'run_start before the cut');

          proxy.cut();
          await status.filter({ hasText: 'Reconnecting…' }).waitFor();
          // While the console is away: the agent works on and the helper is terminated.
          await post(server, sessions.helper, { event_type: 'pre_tool', run_id: 'run-cut', tool_name: 'search', tool_input: {} }, PARTNER_APP);
          await post(server, sessions.helper, { event_type: 'post_tool', run_id: 'run-cut', tool_name: 'search', tool_output: {} }, PARTNER_APP);
          await server.api('DELETE', `/zones/${server.zoneId}/agents/${sessions.helper}`);
          proxy.restore();

          await status.filter({ hasText: 'Live' }).waitFor({ timeout: 30_000 });
          await eventually(async () => {
            const texts = await entries(page);
            return ['pre_tool', 'post_tool'].every((type) => texts.some((text) => text.includes(type)));
          }, 'the events posted during the cut', 30_000);
          await statusBecomes(await revealSession(page, [sessions.partner, sessions.helper]), 'terminated', 'the helper terminated during the cut', 30_000);
          const texts = await entries(page);
          expect(texts.filter((text) => text.includes('run_start'))).toHaveLength(1);
        });
      } finally {
        await proxy.close();
      }
    });
  });
});
