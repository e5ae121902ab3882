// Real-browser checks (Debian chromium driven by playwright-core) with the network closed: every request the
// page makes to anything but our server is aborted, so GraphiQL and /docs must work from our own bytes.
// GraphiQL loads, shows the schema docs, runs a billed query with a token and shows extensions.billing;
// /docs renders the REST reference and a guide, and shows an operation's call in curl, JavaScript, PHP and Python. Screenshots go to test/browser/artifacts/ (git-ignored).
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { seed } from '../helpers/testkit.ts';

const ARTIFACTS = path.resolve(import.meta.dirname, 'artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// CI installs Debian's chromium (.ci/run) and these tests must run there. On a laptop without it they are
// reported as skipped with the reason, instead of failing `npm test` for a missing browser.
const runHere = existsSync(CHROMIUM) || !!process.env.CI;
if (!runHere) console.warn(`[browser] ${CHROMIUM} not found: install Debian's chromium to run the browser tests`);
let app: TestApp;
let browser: Browser;
const outside: string[] = [];

beforeAll(async () => {
  if (!runHere) return;
  app = await startTestApp();
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({
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
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function offlinePage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(app.url) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    outside.push(url);
    return route.abort();
  });
  return context.newPage();
}

describe.runIf(runHere)('in a browser, offline', () => {
  it('GraphiQL loads, shows the schema docs and runs a billed query showing extensions.billing', async () => {
    const c = await seed(app).client({ credits: 10 });
    const product = await seed(app).product({ meta: 'full', imageRows: ['front'] });
    const page = await offlinePage();
    // The ~9 MB page is rendered on its first request: on a loaded machine that takes longer than goto's 30 s.
    await page.goto(`${app.url}/graphql`, { timeout: 120_000 });
    await page.waitForSelector('.graphiql-container', { timeout: 60_000 });
    // The documentation explorer lists the root fields once the schema is introspected.
    await page.getByRole('button', { name: /show documentation explorer/i }).click();
    await page.getByText('Query', { exact: true }).first().click();
    await expect.poll(() => page.getByText('bulkCheck').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'graphiql-docs.png') });

    // Run a billed query through GraphiQL's own fetcher, with the bearer token in its headers.
    const query = `query { product(barcode: "${product.barcode}") { barcode productMeta { brand } } }`;
    const result = await page.evaluate(
      async ([q, token]) => {
        const res = await fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: q }),
        });
        return res.json();
      },
      [query, c.accessToken] as const,
    );
    expect(result.extensions.billing.creditsDebited).toBe(0.5);
    // And through the UI: the SingleProduct example tab, its variables and the bearer header, then run.
    const fill = async (tab: string, text: string) => {
      await page.getByText(tab, { exact: true }).first().click();
      await page.locator('.graphiql-editor-tool .monaco-editor:visible').first().click();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.press('Delete');
      await page.keyboard.insertText(text);
    };
    // The first tab opens ready to run: the guides' sample barcode is in its variables (this test app's catalog
    // does not have it, so that first run answers not_found; what matters is what GraphiQL sent).
    await fill('Headers', JSON.stringify({ Authorization: `Bearer ${c.accessToken}` }));
    const [prefilled] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/graphql') && !!r.request().postData()?.includes('SingleProduct')),
      page.getByRole('button', { name: /execute query/i }).click(),
    ]);
    expect(JSON.parse(prefilled.request().postData() ?? '{}').variables).toEqual({ barcode: '017000161563' });
    await fill('Variables', JSON.stringify({ barcode: product.barcode }));
    await fill('Headers', JSON.stringify({ Authorization: `Bearer ${c.accessToken}` }));
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/graphql') && !!r.request().postData()?.includes('SingleProduct')),
      page.getByRole('button', { name: /execute query/i }).click(),
    ]);
    const body = await answer.json();
    expect(body.data.product.barcode).toBe(product.barcode);
    expect(body.extensions.billing.creditsDebited).toBe(1.3); // productMeta 0.5 + one front image 0.8
    // The result pane is an editor that draws only what is in view: scroll it to the end, where the billing is.
    const response = page.locator('.graphiql-response .monaco-editor');
    await response.click();
    await page.keyboard.press('ControlOrMeta+End');
    await expect
      .poll(async () => ((await response.textContent()) ?? '').includes('creditsDebited'), { timeout: 30_000 })
      .toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'graphiql-billed-query.png') });
    expect(outside).toEqual([]);
  }, 300_000);

  it('/docs renders the REST reference from the OpenAPI document, and a guide', async () => {
    const page = await offlinePage();
    await page.goto(`${app.url}/docs`);
    await page.waitForSelector('.swagger-ui .opblock', { timeout: 60_000 });
    expect(await page.locator('.swagger-ui .opblock-summary-path').allInnerTexts()).toContain(
      '/api/v1/products/{barcode}',
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'docs-reference.png') });
    await page.goto(`${app.url}/docs/guides`);
    const first = page.locator('main li a').first();
    await first.click();
    await page.waitForSelector('main h1');
    expect(((await page.locator('main').textContent()) ?? '').length).toBeGreaterThan(300);
    await page.screenshot({ path: path.join(ARTIFACTS, 'docs-guide.png'), fullPage: true });
    expect(outside).toEqual([]);
  }, 120_000);

  it("/docs shows an operation's call in curl, JavaScript, PHP and Python, as openapi.yaml has them", async () => {
    const doc = (await (await fetch(`${app.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { 'x-codeSamples'?: { label: string; source: string }[] }>>;
    };
    const samples = doc.paths['/api/v1/products/{barcode}'].get['x-codeSamples'] ?? [];
    const page = await offlinePage();
    // Deep link: the products tag's getProduct, opened.
    await page.goto(`${app.url}/docs#/products/getProduct`);
    await page.waitForSelector('.code-samples-tab', { timeout: 60_000 });
    const tabs = page.locator('#operations-products-getProduct .code-samples-tab');
    expect(await tabs.allInnerTexts()).toEqual(['curl', 'JavaScript', 'PHP', 'Python']);
    const shown: Record<string, string> = {};
    for (const label of ['curl', 'JavaScript', 'PHP', 'Python']) {
      await tabs.getByText(label, { exact: true }).click();
      const source = page.locator(`#operations-products-getProduct .code-samples-source[data-lang="${label}"]`);
      await source.waitFor();
      shown[label] = (await source.textContent()) ?? '';
      if (label === 'Python') await page.screenshot({ path: path.join(ARTIFACTS, 'docs-code-samples.png') });
    }
    expect(shown).toEqual(Object.fromEntries(samples.map((s) => [s.label, s.source])));
    expect(shown.curl).toContain('curl -sS');
    expect(shown.JavaScript).toContain('kc.getProduct(');
    expect(shown.PHP).toContain('$client->getProduct(');
    expect(shown.Python).toContain('client.get_product(');
    expect(outside).toEqual([]);
  }, 120_000);
});
