import { describe, expect, it } from 'vitest';
import { navLink, untilLive, withConsole, statusBecomes } from './support/console-page.ts';
import { ORCHESTRATOR_APP } from './support/console-server.ts';
import { backends, browserAvailable, useBrowser, useServer } from './support/suite.ts';

/**
 * The Runs view follows the zone's timeline feed: runs created, claimed and stopped by others
 * show up and change status while the operator watches, without pressing Refresh.
 */
describe.runIf(browserAvailable)('console: the runs view, live', () => {
  const browser = useBrowser();

  describe.each(backends)('$name', (backend) => {
    const state = useServer(backend, async () => undefined);

    it('shows a run created elsewhere, then claimed by a runner, then stopping, with no refresh', async () => {
      const { server } = state();
      await withConsole(browser(), server.url, server.operatorToken, async ({ page, requests, cspViolations }) => {
        await untilLive(page);
        await navLink(page, 'Runs').click();
        await page.getByText('No runs.').waitFor();
        const created = await server.api<{ run_id: string }>('POST', '/runs', { type: 'start_session', parameters: { prompt: 'watch me' } }, ORCHESTRATOR_APP);
        const row = page.getByRole('table', { name: 'Runs' }).getByRole('row').filter({ hasText: created.run_id });
        await statusBecomes(row, 'pending', 'the new run');

        const { runner_id: runnerId } = await server.api<{ runner_id: string }>('POST', '/runner/register', {
          hostname: 'console-live', project_dir: '/live', executor_profile: 'default', executor: { type: 'test', command: null },
        });
        const polled = await server.api<{ run?: { run_id: string } }>('GET', `/runner/runs?runner_id=${runnerId}&wait_seconds=0`);
        expect(polled.run?.run_id).toBe(created.run_id);
        await statusBecomes(row, 'claimed', 'the claimed run');

        await server.api('POST', `/runs/${created.run_id}/stop`);
        await statusBecomes(row, 'stopping', 'the run told to stop');
        expect(await row.getByRole('button', { name: 'Stop run' }).count()).toBe(0);
        // The view follows the timeline topic only, and the token never travels in a URL.
        expect(requests.some((url) => url.includes('/events?topics=caracal.sessions.timeline'))).toBe(true);
        expect(requests.filter((url) => url.includes(server.operatorToken))).toEqual([]);
        expect(cspViolations).toEqual([]);
      });
    });
  });
});
