// Shared set-up of the console's browser tests (test/browser/console*.test.ts): the console built from its current
// sources, Debian's chromium with the network closed (any request to another origin is aborted and recorded),
// Content-Security-Policy violations recorded from inside the page, axe-core run in the page, and screenshots of
// every page at desktop and phone width under test/browser/artifacts/console/ (git-ignored).
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { repoRoot as ROOT } from '../helpers/paths.ts';

export { ensureConsoleBuilt } from '../helpers/console-build.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// As in docs-and-graphiql.test.ts: CI installs chromium and must run these; a laptop without it skips them.
export const runHere = existsSync(CHROMIUM) || !!process.env.CI;
const ARTIFACTS = path.join(ROOT, 'test/browser/artifacts/console');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export async function launch(): Promise<Browser> {
  await mkdir(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /** Requests to anything but our server (aborted). */
  outside: string[];
  /** Content-Security-Policy violations the page reported. */
  violations: string[];
}

const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 375, height: 740 };

/** A fresh browser context (its own cookies) on the app, offline but for our own origin. */
export async function consolePage(browser: Browser, appUrl: string, viewport = DESKTOP): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const outside: string[] = [];
  const violations: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(appUrl) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    outside.push(url);
    return route.abort();
  });
  await context.exposeFunction('__cspViolation', (v: string) => violations.push(v));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __cspViolation(v: string): void }).__cspViolation(
        `${e.violatedDirective} ${e.blockedURI}`,
      );
    });
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  return { context, page, outside, violations };
}

/**
 * axe-core over the page as it is now: no serious or critical violation. axe is evaluated in the page through the
 * DevTools protocol, which the page's policy does not govern (the policy forbids inline scripts, as it should).
 */
async function expectAccessible(page: Page, name: string): Promise<void> {
  // A string is evaluated as an expression by the protocol itself (no eval() inside the page, which CSP forbids).
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const r = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v: any) =>
          `${v.id} (${v.impact}): ${v.help} — ${v.nodes
            .map((n: any) => n.target.join(' '))
            .slice(0, 3)
            .join(', ')}`,
      );
  });
  expect(found, `axe on ${name}`).toEqual([]);
}

/** A screenshot of the whole page under test/browser/artifacts/console/<name>.png. */
export async function snap(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Checks a page the way every console page is checked: accessible, then photographed. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await expectAccessible(page, name);
  await snap(page, name);
}
