// /docs in Chromium: Swagger UI (served by Arbiter, no CDN) renders /openapi.json under the page's CSP,
// with every operation of the registry, and nothing is refused or fetched from elsewhere.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/shared/routes.js';
import { chromiumForFile } from '../support/browser.js';
import { stackForFile, startTestStack } from '../support/local-stack.js';

const browser = chromiumForFile();
const stack = stackForFile(() => startTestStack({ adminKey: `admin-${randomUUID()}` }));

describe('/docs', () => {
  it('shows every operation of the registry, loading only from its own origin', async () => {
    const page = await browser().newPage();
    const problems: string[] = [];
    const origins = new Set<string>();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => origins.add(new URL(r.url()).origin));
    const response = await page.goto(new URL('/docs', stack.url).href);
    expect(response?.status()).toBe(200);
    // Swagger UI draws one block per operation once it has fetched and parsed the document.
    await page.locator('.opblock').first().waitFor({ timeout: 30_000 });
    const listed = await page.locator('.opblock').evaluateAll((blocks) =>
      blocks.map((b) => {
        const method = b.querySelector('.opblock-summary-method')?.textContent ?? '';
        const path = b.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? '';
        return `${method} ${path}`;
      }),
    );
    // The routes, and the webhook: the step request agents receive.
    expect(new Set(listed)).toEqual(new Set([...ROUTES.map((r) => `${r.method} ${r.path}`), 'POST stepRequest']));
    expect(problems).toEqual([]);
    expect([...origins]).toEqual([new URL(stack.url).origin]);
    if (process.env.ARBITER_SCREENSHOT)
      await page.screenshot({ path: process.env.ARBITER_SCREENSHOT, fullPage: false });
    await page.close();
  });

  it('/ links to the console, the docs and the outbox, and each opens', async () => {
    const page = await browser().newPage();
    await page.goto(new URL('/', stack.url).href);
    for (const name of ['Console', 'API reference', 'Outbox']) {
      const href = await page.getByRole('link', { name }).getAttribute('href');
      const opened = await page.request.get(new URL(href!, stack.url).href);
      expect(opened.status(), name).toBe(200);
    }
    await page.close();
  });
});
