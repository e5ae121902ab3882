// The customer console in a real browser (Debian chromium, offline but for our server): served at /console with a
// strict Content-Security-Policy, nothing loaded from another origin, no policy violation, no serious or critical
// accessibility violation (axe-core), at desktop and phone width. Screenshots: test/browser/artifacts/console/.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { checkPage, consolePage, ensureConsoleBuilt, launch, PHONE, runHere } from './console-browser.ts';

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  if (!runHere) return;
  ensureConsoleBuilt();
  app = await startTestApp();
  browser = await launch();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe.runIf(runHere)('the console in a browser', () => {
  it('is served at /console with a strict policy, loads offline, and is accessible at desktop and phone width', async () => {
    const res = await fetch(`${app.url}/console`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect(html).not.toMatch(/https?:\/\//); // no other origin named
    const asset = html.match(/\/console\/assets\/[^"]+\.js/)?.[0];
    const js = await fetch(`${app.url}${asset}`);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${app.url}/console/assets/nope.js`)).status).toBe(404);

    const pagesToLoad = ['/console', '/console/signup', '/console/forgot', '/console/admin'];
    for (const [label, viewport] of [
      ['desktop', undefined],
      ['phone', PHONE],
    ] as const) {
      const cp = await consolePage(browser, app.url, viewport);
      for (const p of pagesToLoad) {
        await cp.page.goto(`${app.url}${p}`);
        await cp.page.getByRole('heading', { level: 1 }).waitFor();
        await checkPage(cp.page, `public${p.replaceAll('/', '-')}-${label}`);
        if (viewport) {
          // Nothing wider than the phone's screen: no sideways scrolling of the page itself.
          const width = await cp.page.evaluate(() => document.documentElement.scrollWidth);
          expect(width, p).toBeLessThanOrEqual(PHONE.width);
        }
      }
      expect(cp.outside).toEqual([]);
      expect(cp.violations).toEqual([]);
      await cp.context.close();
    }
  }, 180_000);
});
