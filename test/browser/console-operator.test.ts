// The operator console on the admin listener (docs/console.md#operators), in a real browser: with ADMIN_PORT set,
// the public listener answers 404 for /console/admin; on the admin listener an operator signs in (password +
// TOTP), opens a new product, saves its data, uploads a small PNG and sees it listed, and an oversized image
// (56 megapixels) is refused with the server's message, a file over 25 MiB before it is sent; the product opened again
// fills the form, and an edit saves as an update. Each page is checked with axe-core and photographed.
import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { base32Decode, hotp } from '../../src/modules/operators/totp.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { cliJson, runNpm } from '../helpers/cli.ts';
import { OPERATOR_PASSWORD, oversizedPng } from '../helpers/operator.ts';
import { barcode } from '../helpers/testkit.ts';
import {
  type ConsolePage,
  checkPage,
  consolePage,
  ensureConsoleBuilt,
  launch,
  runHere,
  snap,
} from './console-browser.ts';

let app: TestApp;
let browser: Browser;
let operator: ConsolePage;

beforeAll(async () => {
  if (!runHere) return;
  ensureConsoleBuilt();
  app = await startTestApp({ env: { ADMIN_HOST: '127.0.0.1', ADMIN_PORT: '0' } });
  browser = await launch();
}, 180_000);
afterAll(async () => {
  await operator?.context.close().catch(() => {});
  await browser?.close();
  await app?.close();
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && operator) await snap(operator.page, 'failed-operator').catch(() => {});
});

describe.runIf(runHere)('operator console on the admin listener', () => {
  it('is not on the public listener; an operator signs in on the admin listener', async () => {
    const admin = app.service.adminUrl;
    expect(admin).not.toBe(app.url);
    const email = `op-${randomBytes(3).toString('hex')}@example.com`;
    const made = cliJson(
      await runNpm(['admin', '--', 'operator', 'create', '--email', email, '--password', OPERATOR_PASSWORD], {
        ...app.env,
        LOG_LEVEL: 'warn',
      }),
    );
    operator = await consolePage(browser, admin);
    const { page } = operator;
    // The page's context reaches only the admin listener; the public one is asked from here.
    expect((await fetch(`${app.url}/console/admin`)).status).toBe(404);
    expect((await page.goto(`${admin}/console/admin`))?.status()).toBe(200);
    await page.getByRole('heading', { level: 1, name: 'Operator sign-in' }).waitFor();
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(OPERATOR_PASSWORD);
    await page
      .getByLabel('Authenticator code')
      .fill(hotp(base32Decode(made.totp_secret), Math.floor(Date.now() / 30_000)));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Accounts' }).waitFor();
    await checkPage(page, '30-operator-admin-listener');
  }, 180_000);

  it('saves a new product, uploads a small PNG and sees it listed; an oversized image is refused clearly', async () => {
    const { page } = operator;
    const admin = app.service.adminUrl;
    await page.goto(`${admin}/console/admin/products`);
    await page.getByRole('heading', { level: 1, name: 'Products' }).waitFor();
    await checkPage(page, '31-operator-products');
    const b = barcode();
    await page.getByLabel('Barcode').fill(b);
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByRole('heading', { level: 2, name: `New product ${b}` }).waitFor();
    await page.getByLabel('Brand').fill('Browser Bakery');
    await page.getByLabel('Product name').fill('Rye bread');
    await page.getByLabel('Ownership').fill('Browser Bakery Inc');
    await page.getByLabel('Net weight').fill('500 g');
    await page.getByLabel('Bracha').selectOption('hamotzi');
    await page.getByLabel('Hechshers').fill('OK; OK Kosher; pareve');
    await page.getByLabel('Allergens').fill('rye, wheat');
    await page.getByLabel('Calories').fill('80');
    await page.getByRole('button', { name: 'Save product' }).click();
    await page.getByText(`Product ${b} inserted.`).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Browser Bakery — Rye bread' }).waitFor();
    await checkPage(page, '32-operator-product-saved');

    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c83' } })
      .png()
      .toBuffer();
    await page.getByLabel('Variant').selectOption('front');
    await page.getByLabel(/Image file/).setInputFiles({ name: 'front.png', mimeType: 'image/png', buffer: png });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByText('Image front stored (64×48).').waitFor();
    await expect.poll(() => page.getByRole('table', { name: `Images of ${b}` }).textContent()).toContain('64×48');

    await page.getByLabel('Variant').selectOption('back');
    await page
      .getByLabel(/Image file/)
      .setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: oversizedPng(png) });
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('The image has 8000x7000 pixels; at most 50000000 are accepted.');
    // Over 25 MiB: refused in the page before anything is sent.
    const big = Buffer.concat([png, Buffer.alloc(26 * 1024 * 1024)]);
    await page.getByLabel(/Image file/).setInputFiles({ name: 'big.png', mimeType: 'image/png', buffer: big });
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('big.png is larger than 25 MiB (27 MiB); the limit is 25 MiB.');
    const table = await page.getByRole('table', { name: `Images of ${b}` }).textContent();
    expect(table).not.toContain('back');
    await checkPage(page, '33-operator-image-refused');

    // Opened again, the form holds the stored data; an edit saves as an update.
    await page.getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => page.getByLabel('Hechshers').inputValue()).toBe('OK; OK Kosher; pareve');
    expect(await page.getByLabel('Brand').inputValue()).toBe('Browser Bakery');
    expect(await page.getByLabel('Allergens').inputValue()).toBe('rye, wheat');
    expect(await page.getByLabel('Bracha').inputValue()).toBe('hamotzi');
    await page.getByLabel('Product name').fill('Rye bread, sliced');
    await page.getByLabel('Calories').fill('lots');
    await page.getByRole('button', { name: 'Save product' }).click();
    await page.getByText('Calories: a number, 0 or more.').waitFor();
    // The refused save keeps what was typed.
    expect(await page.getByLabel('Product name').inputValue()).toBe('Rye bread, sliced');
    await page.getByLabel('Calories').fill('85');
    await page.getByRole('button', { name: 'Save product' }).click();
    await page.getByText(`Product ${b} updated.`).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Browser Bakery — Rye bread, sliced' }).waitFor();
    expect(operator.outside).toEqual([]);
    expect(operator.violations).toEqual([]);
  }, 180_000);
});
