import { describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.ts';
import { navLink, sessionTree, withConsole } from './support/console-page.ts';
import { seedDemoStory } from './support/demo-story.ts';
import { saveScreenshot } from './support/screenshots.ts';
import { backends, browserAvailable, useBrowser, useServer } from './support/suite.ts';

describe.runIf(browserAvailable)('console sign-in', () => {
  const browser = useBrowser();

  describe.each(backends)('$name', (backend) => {
    const state = useServer(backend, seedDemoStory);

    it('signs in from the #token fragment, then drops it from the address and keeps the token out of cookies and URLs', async () => {
      const { server } = state();
      await withConsole(browser(), server.url, server.operatorToken, async ({ page, context, requests, cspViolations }) => {
        await navLink(page, 'Sessions').waitFor();
        await sessionTree(page).waitFor();
        expect(new URL(page.url()).hash).toBe('');
        expect(page.url()).not.toContain(server.operatorToken);
        expect(await page.evaluate(() => sessionStorage.getItem('caracal.console.token'))).toBe(server.operatorToken);
        const cookies = await context.cookies();
        expect(cookies.filter((cookie) => cookie.value.includes(server.operatorToken))).toEqual([]);
        expect(requests.filter((url) => url.includes('access_token=') || url.includes(server.operatorToken))).toEqual([]);
        expect(cspViolations).toEqual([]);
      });
    });

    it('shows the sign-in form without a token, signs in with it, and "Sign out" clears the token', async () => {
      const { server } = state();
      await withConsole(browser(), server.url, undefined, async ({ page }) => {
        const field = page.getByLabel('Operator mandate', { exact: true });
        await field.waitFor();
        expect(await field.getAttribute('type')).toBe('password');
        expect(await seriousViolations(page)).toEqual([]);
        await saveScreenshot(page, backend.name, 'sign-in');
        await field.fill(server.operatorToken);
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        await sessionTree(page).waitFor();
        await page.getByRole('button', { name: 'Sign out', exact: true }).click();
        await field.waitFor();
        expect(await page.evaluate(() => sessionStorage.getItem('caracal.console.token'))).toBeNull();
      });
    });

    it('returns an invalid token to the sign-in form, saying how to mint one', async () => {
      const { server } = state();
      await withConsole(browser(), server.url, 'not-a-mandate', async ({ page }) => {
        await page.getByLabel('Operator mandate', { exact: true }).waitFor();
        // A message of its own (the form always carries a hint), announced, saying how to mint one.
        const message = page.getByRole('alert');
        await message.waitFor();
        expect(await message.innerText()).toContain('caracal console');
        expect(await sessionTree(page).count()).toBe(0);
      });
    });
  });
});
