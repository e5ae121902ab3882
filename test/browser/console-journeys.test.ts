// The console's journeys in a real browser (issue 25, item 6), each page checked with axe-core and photographed
// (test/browser/artifacts/console/): a person signs up, reads the verification mail from a real SMTP server,
// verifies, creates a live key, makes the first billed call with it and sees the call in usage and the ledger;
// invites a viewer, who then cannot create a key (the UI hides it, the server refuses it); a mutation without the
// CSRF token is refused; a top-up is requested, an operator (password + TOTP) confirms it and the balance goes up
// once; the operator drops a marked, resized, re-encoded copy of a delivered image and sees the right client.
import { spawnSync } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { call } from '../helpers/http.ts';
import { productShot } from '../helpers/mark-fixtures.ts';
import { repoRoot } from '../helpers/paths.ts';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.ts';
import { exchangeKey, seed } from '../helpers/testkit.ts';
import {
  type ConsolePage,
  checkPage,
  consolePage,
  ensureConsoleBuilt,
  launch,
  PHONE,
  runHere,
  snap,
} from './console-browser.ts';

const MARK_KEYS = `m1:${createHash('sha256').update('console journeys mark key').digest().toString('base64url')}`;
const PASSWORD = 'correct horse battery staple 42';

let app: TestApp;
let mail: SmtpSink;
let browser: Browser;
const pages: ConsolePage[] = [];

beforeAll(async () => {
  if (!runHere) return;
  ensureConsoleBuilt();
  mail = await startSmtpSink();
  app = await startTestApp({ env: { SIGNUP: 'open', SMTP_URL: mail.url, IMAGE_MARK_KEYS: MARK_KEYS } });
  browser = await launch();
}, 180_000);
afterAll(async () => {
  for (const p of pages) await p.context.close().catch(() => {});
  await browser?.close();
  await app?.close();
  await mail?.close();
});

// A failed step leaves a picture of every open page (failed-<n>.png), to see what the person saw.
afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  for (const [i, p] of pages.entries()) await snap(p.page, `failed-${ctx.task.name.slice(0, 20)}-${i}`).catch(() => {});
});

async function open(): Promise<ConsolePage> {
  const p = await consolePage(browser, app.url);
  pages.push(p);
  return p;
}

/** Opens a page of the console and waits for its heading. */
async function visit(page: Page, pathname: string, heading: string | RegExp): Promise<void> {
  await page.goto(`${app.url}${pathname}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await page.locator('[aria-busy="true"]').first().waitFor({ state: 'detached' });
}

/** The link of the newest mail to `to` for a console page (its path and query, opened on our server). */
async function linkFrom(to: string, page: string): Promise<string> {
  const u = new URL(await mail.link(to, page));
  return u.pathname + u.search;
}

/** RFC 6238 (SHA-1, 6 digits, 30 s) from a base32 secret, as an authenticator app computes it. */
function totp(secretBase32: string, at = Date.now()): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secretBase32.replace(/=+$/, '').toUpperCase())
    bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => Number.parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30_000)));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** An operator made with the admin CLI, as the runbook says; returns the TOTP secret it prints once. */
function createOperator(email: string): string {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'src/main/cli/admin.cli.ts', 'operator', 'create', '--email', email, '--password', PASSWORD],
    { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', ...app.env }, encoding: 'utf8', timeout: 120_000 },
  );
  const out = `${run.stdout}\n${run.stderr}`;
  const secret = out.match(/secret=([A-Z2-7]+)/i)?.[1] ?? out.match(/\b([A-Z2-7]{16,})\b/)?.[1];
  if (run.status !== 0 || !secret) throw new Error(`operator create failed (${run.status}): ${out}`);
  return secret;
}

/** A GraphQL call from inside the page (its cookie), with the CSRF token of its console or operator session, or none. */
async function inPage(
  page: Page,
  query: string,
  variables: Record<string, unknown>,
  csrf: 'console' | 'operator' | null,
) {
  return page.evaluate(
    async ([q, v, kind]) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (kind) {
        const field = kind === 'console' ? 'consoleSession' : 'operatorSession';
        const s = await fetch('/graphql', {
          method: 'POST',
          headers,
          body: JSON.stringify({ query: `{ ${field} { csrfToken } }` }),
        }).then((r) => r.json());
        headers['x-csrf-token'] = s.data[field].csrfToken;
      }
      const r = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query: q, variables: v }) });
      return { status: r.status, body: await r.json() };
    },
    [query, variables, csrf] as const,
  );
}

/** The account's balance as an operator's API reads it (GET /admin/v1/accounts/{id}). */
const balanceOf = async (accountId: string) => {
  const r = await call(app.url, `/admin/v1/accounts/${accountId}`, { token: app.adminToken });
  expect(r.status).toBe(200);
  return Number(r.body.credits_remaining);
};

describe.runIf(runHere)('console journeys', () => {
  const email = `owner-${randomBytes(3).toString('hex')}@example.com`;
  let owner: ConsolePage;
  let apiKey = '';
  let clientId = '';
  let accessToken = '';
  let operator: ConsolePage;

  it('sign up → verification mail → verify → live key → first billed call → seen in usage and the ledger', async () => {
    const product = await seed(app).product({ meta: 'full' });
    owner = await open();
    const { page } = owner;
    await visit(page, '/console', 'Sign in');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Create an account' }).waitFor();
    await checkPage(page, '01-signup');
    await page.getByLabel('Company or account name').fill('Shalom Groceries');
    await page.getByLabel('Your name').fill('Dina');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check your e-mail' }).waitFor();

    // The person opens the link in the mail the SMTP server received.
    const verify = await linkFrom(email, 'verify');
    await page.goto(`${app.url}${verify}`);
    await page.getByRole('heading', { level: 1, name: 'API clients' }).waitFor();
    await page.getByText('Your e-mail is verified').waitFor();
    await checkPage(page, '02-clients-new-account');

    await page.getByLabel('Name', { exact: true }).fill('shop front');
    await page.getByLabel('Mode').selectOption('LIVE');
    await page.getByRole('button', { name: 'Create client and key' }).click();
    await page.getByTestId('api-key').waitFor();
    apiKey = (await page.getByTestId('api-key').textContent()) ?? '';
    const curl = (await page.getByTestId('curl').textContent()) ?? '';
    clientId = (await page.locator('.secret code').first().textContent()) ?? '';
    expect(apiKey).toMatch(/\S{20,}/);
    expect(curl).toContain('curl');
    await checkPage(page, '03-key-shown-once');

    // The first billed call with the new key.
    accessToken = (await exchangeKey(app.url, clientId, apiKey)).accessToken;
    const read = await call(app.url, `/api/v1/products/${product.barcode}?include=product_meta`, {
      token: accessToken,
    });
    expect(read.status).toBe(200);
    const debited = Number(read.body.meta.credits_debited);
    expect(debited).toBeGreaterThan(0);

    await visit(page, '/console/usage', 'Usage');
    await expect.poll(() => page.locator('main').textContent()).toContain('shop front');
    await checkPage(page, '04-usage');
    const csv = await owner.context.request.get(`${app.url}/console/usage.csv`);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain(clientId);

    await visit(page, '/console/ledger', 'Ledger');
    const ledger = (await page.getByRole('table', { name: /Debits and grants/ }).textContent()) ?? '';
    expect(ledger).toContain(clientId);
    expect(ledger).toContain(`-${debited}`);
    await checkPage(page, '05-ledger');
    const ledgerCsv = await owner.context.request.get(`${app.url}/console/ledger.csv`);
    expect(ledgerCsv.status()).toBe(200);

    await visit(page, '/console', 'Overview');
    await checkPage(page, '06-overview');
    expect(owner.outside).toEqual([]);
    expect(owner.violations).toEqual([]);
  }, 240_000);

  it('a viewer invited by the owner cannot create a key: the UI hides it and the server refuses it', async () => {
    const { page } = owner;
    const viewerEmail = `viewer-${randomBytes(3).toString('hex')}@example.com`;
    await visit(page, '/console/team', 'Team');
    await page.getByLabel('E-mail').fill(viewerEmail);
    await page.getByLabel('Role', { exact: true }).selectOption('VIEWER');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText(`Invitation sent to ${viewerEmail}`).waitFor();
    await checkPage(page, '07-team');

    const viewer = await open();
    await viewer.page.goto(`${app.url}${await linkFrom(viewerEmail, 'accept-invitation')}`);
    await viewer.page.getByRole('heading', { level: 1, name: 'Join the team' }).waitFor();
    await viewer.page.getByLabel('Choose a password').fill(PASSWORD);
    await viewer.page.getByRole('button', { name: 'Join' }).click();
    await viewer.page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await visit(viewer.page, '/console/clients', 'API clients');
    await expect.poll(() => viewer.page.getByRole('table', { name: 'Your API clients' }).count()).toBe(1);
    expect(await viewer.page.getByRole('button', { name: /Create client|Rotate|Create key|Disable/ }).count()).toBe(0);
    await viewer.page.getByText('can read API clients but not change them').waitFor();
    await checkPage(viewer.page, '08-clients-as-viewer');

    const refused = await inPage(
      viewer.page,
      'mutation($i: ConsoleApiClientInput!) { consoleCreateApiClient(input: $i) { apiKey } }',
      { i: { name: 'sneaky', mode: 'LIVE' } },
      'console',
    );
    expect(refused.body.data).toBeNull();
    expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
  }, 180_000);

  it('a console mutation without the CSRF token is refused, and does nothing', async () => {
    const mutation =
      'mutation($i: ConsoleApiClientInput!) { consoleCreateApiClient(input: $i) { client { clientId } } }';
    const refused = await inPage(owner.page, mutation, { i: { name: 'no csrf', mode: 'TEST' } }, null);
    expect(refused.body.data).toBeNull();
    expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
    await visit(owner.page, '/console/clients', 'API clients');
    expect(await owner.page.getByRole('table', { name: 'Your API clients' }).textContent()).not.toContain('no csrf');
    // The same call with the token goes through: the refusal was the missing token, nothing else.
    const ok = await inPage(owner.page, mutation, { i: { name: 'with csrf', mode: 'TEST' } }, 'console');
    expect(ok.body.errors).toBeUndefined();
  }, 120_000);

  it('an operator signs in with password + TOTP, offers a package; a top-up requested is credited once on confirmation', async () => {
    const opEmail = `op-${randomBytes(3).toString('hex')}@example.com`;
    const secret = createOperator(opEmail);
    operator = await open();
    const op = operator.page;
    await visit(op, '/console/admin', 'Operator sign-in');
    await checkPage(op, '10-operator-signin');
    await op.getByLabel('E-mail').fill(opEmail);
    await op.getByLabel('Password').fill(PASSWORD);
    await op.getByLabel('Authenticator code').fill(totp(secret));
    await op.getByRole('button', { name: 'Sign in' }).click();
    await op.getByRole('heading', { level: 1, name: 'Accounts' }).waitFor();
    await op.getByLabel('Find an account').fill('Shalom');
    await op.getByRole('button', { name: 'Find' }).click();
    await expect.poll(() => op.getByRole('table', { name: 'Accounts' }).textContent()).toContain('Shalom Groceries');
    await checkPage(op, '11-operator-accounts');

    const pkg = `starter-${randomBytes(2).toString('hex')}`;
    await visit(op, '/console/admin/pricing', 'Pricing and packages');
    await op.getByLabel('Package id').fill(pkg);
    await op.getByLabel('Credits', { exact: true }).fill('100');
    await op.getByLabel('Price').fill('49.00');
    await op.getByRole('button', { name: 'Save package' }).click();
    await op.getByText(`Package ${pkg} saved.`).waitFor();
    await checkPage(op, '12-operator-pricing');

    const { page } = owner;
    const accountId = await page.evaluate(async () => {
      const r = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ consoleSession { accountId } }' }),
      });
      return (await r.json()).data.consoleSession.accountId as string;
    });
    const before = await balanceOf(accountId);
    await visit(page, '/console/topups', 'Top-ups');
    await page.getByRole('button', { name: `Request ${pkg}` }).click();
    await expect.poll(() => page.getByRole('table', { name: /Top-up requests/ }).textContent()).toContain('pending');
    await checkPage(page, '09-topups-pending');
    expect(await balanceOf(accountId)).toBe(before);

    await visit(op, '/console/admin/topups', 'Top-ups');
    await op.getByRole('button', { name: 'Confirm payment of Shalom Groceries' }).click();
    await expect.poll(() => op.locator('main').textContent()).not.toContain('Shalom Groceries');
    await checkPage(op, '13-operator-topups');
    expect(await balanceOf(accountId)).toBe(before + 100);

    // A second confirmation (a double click, a retry) credits nothing more.
    const confirmed = await inPage(op, '{ operatorTopUps(status: CONFIRMED) { topUpId accountId } }', {}, null);
    const topUp = confirmed.body.data.operatorTopUps.find((t: { accountId: string }) => t.accountId === accountId);
    const again = await inPage(
      op,
      'mutation($id: ID!) { operatorConfirmTopUp(topUpId: $id) { status } }',
      { id: topUp.topUpId },
      'operator',
    );
    expect(again.status).toBeLessThan(500);
    expect(await balanceOf(accountId)).toBe(before + 100);
    await visit(page, '/console/topups', 'Top-ups');
    await expect.poll(() => page.getByRole('table', { name: /Top-up requests/ }).textContent()).toContain('confirmed');
    await visit(page, '/console/audit', 'Audit log');
    await checkPage(page, '14-audit');
  }, 240_000);

  it('the operator drops a marked, resized, re-encoded image and sees the client it was delivered to', async () => {
    const shot = await productShot(91_001);
    const product = await seed(app).product({ images: { front: shot.jpeg } });
    const read = await call(app.url, `/api/v1/products/${product.barcode}?include=images&variants=front`, {
      token: accessToken,
    });
    expect(read.status).toBe(200);
    const delivered = Buffer.from(await (await fetch(read.body.images.front)).arrayBuffer());
    const leaked = await sharp(delivered).resize(480, 480, { fit: 'inside' }).jpeg({ quality: 80 }).toBuffer();

    const op = operator.page;
    await visit(op, '/console/admin/identify', 'Identify a leaked image');
    await checkPage(op, '15-operator-identify');
    // A real drop: a DataTransfer holding the file, dispatched on the drop zone.
    const transfer = await op.evaluateHandle((b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'leaked.jpg', { type: 'image/jpeg' }));
      return dt;
    }, leaked.toString('base64'));
    const zone = op.getByRole('region', { name: 'Drop zone for a leaked image' });
    await zone.dispatchEvent('dragover', { dataTransfer: transfer });
    await zone.dispatchEvent('drop', { dataTransfer: transfer });
    const result = op.getByTestId('identification');
    await result.waitFor({ timeout: 120_000 });
    expect(await result.textContent()).toContain(clientId);
    await checkPage(op, '16-operator-identified');
  }, 240_000);

  it('every other page is accessible and photographed; the account pages fit a phone', async () => {
    await visit(owner.page, '/console/webhooks', 'Webhooks');
    await checkPage(owner.page, '17-webhooks');
    await visit(operator.page, '/console/admin/trace', 'Trace an image URL');
    await checkPage(operator.page, '18-operator-trace');
    await visit(operator.page, '/console/admin/webhooks', 'Webhook delivery health');
    await checkPage(operator.page, '19-operator-webhook-health');
    await owner.page.setViewportSize(PHONE);
    for (const [p, heading] of [
      ['/console', 'Overview'],
      ['/console/clients', 'API clients'],
      ['/console/usage', 'Usage'],
      ['/console/ledger', 'Ledger'],
    ] as const) {
      await visit(owner.page, p, heading);
      await checkPage(owner.page, `20-phone${p.replaceAll('/', '-')}`);
      // Wide tables scroll inside their own region; the page itself never scrolls sideways.
      expect(await owner.page.evaluate(() => document.documentElement.scrollWidth), p).toBeLessThanOrEqual(PHONE.width);
    }
    for (const p of pages) {
      expect(p.outside).toEqual([]);
      expect(p.violations).toEqual([]);
    }
  }, 180_000);
});
