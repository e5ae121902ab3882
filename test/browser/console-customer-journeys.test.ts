// More journeys of the customer console in a real browser (docs/console-web.md#tests), each page checked with
// axe-core and photographed: a webhook is created against a local receiver, tested, its delivery log read, a day
// replayed and its secret rotated (deliveries verify with both secrets); the owner changes a member's role and the
// member's console follows; a password is reset through the mailed link, which works once. The server runs with
// PERSISTED_OPERATIONS_ONLY=1 throughout: the console sends its operations by id (docs/console-web.md).
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.ts';
import { seed } from '../helpers/testkit.ts';
import { type Received, type Receiver, startReceiver } from '../helpers/webhook-receiver.ts';
import {
  type ConsolePage,
  checkPage,
  consolePage,
  ensureConsoleBuilt,
  launch,
  runHere,
  snap,
} from './console-browser.ts';

const PASSWORD = 'correct horse battery staple 42';

let app: TestApp;
let mail: SmtpSink;
let rcv: Receiver;
let browser: Browser;
const pages: ConsolePage[] = [];

beforeAll(async () => {
  if (!runHere) return;
  ensureConsoleBuilt();
  mail = await startSmtpSink();
  rcv = await startReceiver();
  app = await startTestApp({
    env: { SIGNUP: 'open', SMTP_URL: mail.url, PERSISTED_OPERATIONS_ONLY: '1', WEBHOOKS_ALLOW_LOCAL: '1' },
  });
  browser = await launch();
}, 180_000);
afterAll(async () => {
  for (const p of pages) await p.context.close().catch(() => {});
  await browser?.close();
  await app?.close();
  await rcv?.close();
  await mail?.close();
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  for (const [i, p] of pages.entries())
    await snap(p.page, `failed-customer-${ctx.task.name.slice(0, 20)}-${i}`).catch(() => {});
});

async function open(): Promise<ConsolePage> {
  const p = await consolePage(browser, app.url);
  pages.push(p);
  return p;
}

async function visit(page: Page, pathname: string, heading: string | RegExp): Promise<void> {
  await page.goto(`${app.url}${pathname}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await page.locator('[aria-busy="true"]').first().waitFor({ state: 'detached' });
}

async function linkFrom(to: string, page: string): Promise<string> {
  const u = new URL(await mail.link(to, page));
  return u.pathname + u.search;
}

/** Signs up through the pages and the verification mail; the page ends signed in. */
async function signUp(page: Page, email: string): Promise<void> {
  await visit(page, '/console/signup', 'Create an account');
  await page.getByLabel('Company or account name').fill(`Shop ${email}`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { level: 1, name: 'Check your e-mail' }).waitFor();
  await page.goto(`${app.url}${await linkFrom(email, 'verify')}`);
  await page.getByRole('heading', { level: 1, name: 'API clients' }).waitFor();
}

const accepts = (secret: string, r: Received) => {
  try {
    new Webhook(secret).verify(r.raw, {
      'webhook-id': r.id,
      'webhook-timestamp': r.timestamp,
      'webhook-signature': r.signature,
    });
    return true;
  } catch {
    return false;
  }
};

const address = (who: string) => `${who}-${randomBytes(3).toString('hex')}@example.com`;

describe.runIf(runHere)('console journeys: webhooks, roles, password reset', () => {
  it('webhooks: create → test → delivery log → replay → rotate the secret (both secrets verify)', async () => {
    const { page, outside, violations } = await open();
    await signUp(page, address('hooks'));
    await visit(page, '/console/webhooks', 'Webhooks');
    await page.getByLabel('API client').selectOption({ label: 'live' });
    await page.getByLabel('URL (https)').fill(rcv.url);
    await page.getByRole('button', { name: 'Subscribe' }).click();
    const shown = page.locator('.secret pre');
    await shown.waitFor();
    const first = ((await shown.textContent()) ?? '').trim();
    expect(first).toMatch(/^whsec_/);
    await checkPage(page, '30-webhook-secret');
    await page.getByRole('button', { name: 'I have saved the secret' }).click();

    await page.getByRole('button', { name: `Send test to ${rcv.url}` }).click();
    await page.getByText('Test delivery queued (delivered).').waitFor();
    const ping = rcv.received.at(-1) as Received;
    expect(ping.body.type).toBe('webhook.test');
    expect(accepts(first, ping)).toBe(true);
    const log = page.getByRole('table', { name: `Recent deliveries to ${rcv.url}` });
    await expect.poll(() => log.textContent()).toContain('webhook.test');
    await checkPage(page, '31-webhook-delivery-log');

    // A catalog change is delivered, then the last 24 hours replayed: the same event (same webhook-id) again.
    const p = await seed(app).product();
    await rcv.waitFor((r) => r.received.some((x) => x.body?.data?.barcode === p.barcode));
    const live = rcv.received.find((x) => x.body?.data?.barcode === p.barcode) as Received;
    await page.getByRole('button', { name: `Replay last 24 h to ${rcv.url}` }).click();
    await page.getByText(/[1-9]\d* deliveries of the last 24 hours queued again\./).waitFor();
    await rcv.waitFor((r) => r.received.filter((x) => x.id === live.id).length >= 2);
    await checkPage(page, '32-webhook-replayed');

    await page.getByRole('button', { name: `Rotate secret of ${rcv.url}` }).click();
    await expect.poll(async () => ((await shown.textContent()) ?? '').trim()).not.toBe(first);
    const second = ((await shown.textContent()) ?? '').trim();
    expect(second).toMatch(/^whsec_/);
    await page.getByText(/every delivery is signed with both the previous secret and this one/).waitFor();
    await checkPage(page, '33-webhook-rotated');
    await page.getByRole('button', { name: 'I have saved the secret' }).click();
    await page.getByRole('button', { name: `Send test to ${rcv.url}` }).click();
    await page.getByText('Test delivery queued (delivered).').waitFor();
    const after = rcv.received.at(-1) as Received;
    expect(after.signature.split(' ')).toHaveLength(2);
    expect(accepts(first, after)).toBe(true);
    expect(accepts(second, after)).toBe(true);

    await visit(page, '/console/audit', 'Audit log');
    await expect.poll(() => page.locator('main').textContent()).toContain('webhook.rotate_secret');
    expect(outside).toEqual([]);
    expect(violations).toEqual([]);
  }, 180_000);

  it("team: the owner changes a member's role, and the member's console follows", async () => {
    const owner = await open();
    await signUp(owner.page, address('owner'));
    const memberEmail = address('member');
    await visit(owner.page, '/console/team', 'Team');
    await owner.page.getByLabel('E-mail').fill(memberEmail);
    await owner.page.getByLabel('Role', { exact: true }).selectOption('VIEWER');
    await owner.page.getByRole('button', { name: 'Send invitation' }).click();
    await owner.page.getByText(`Invitation sent to ${memberEmail}`).waitFor();

    const member = await open();
    await member.page.goto(`${app.url}${await linkFrom(memberEmail, 'accept-invitation')}`);
    await member.page.getByLabel('Choose a password').fill(PASSWORD);
    await member.page.getByRole('button', { name: 'Join' }).click();
    await member.page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await visit(member.page, '/console/clients', 'API clients');
    await member.page.getByText('can read API clients but not change them').waitFor();
    expect(await member.page.getByRole('button', { name: 'Create client and key' }).count()).toBe(0);

    await visit(owner.page, '/console/team', 'Team');
    const form = owner.page.getByRole('form', { name: `Role of ${memberEmail}` });
    await form.locator('select').selectOption('DEVELOPER');
    await form.getByRole('button', { name: 'Set role' }).click();
    await expect
      .poll(() => owner.page.getByRole('row', { name: new RegExp(memberEmail) }).textContent())
      .toContain('developer');
    await checkPage(owner.page, '34-team-role-changed');

    // The member's next page load reads the new role: keys and webhooks can be managed now.
    await visit(member.page, '/console/clients', 'API clients');
    await member.page.getByRole('button', { name: 'Create client and key' }).waitFor();
    expect(await member.page.getByText('can read API clients but not change them').count()).toBe(0);
    await checkPage(member.page, '35-clients-as-developer');
    await visit(member.page, '/console/webhooks', 'Webhooks');
    await member.page.getByRole('button', { name: 'Subscribe' }).waitFor();
  }, 180_000);

  it('password reset: request → mail → new password → other sessions end → the link works once', async () => {
    const email = address('forgetful');
    const first = await open();
    await signUp(first.page, email);

    const other = await open();
    const { page } = other;
    await visit(page, '/console', 'Sign in');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByRole('heading', { level: 1, name: 'Reset your password' }).waitFor();
    await checkPage(page, '36-forgot');
    await page.getByLabel('E-mail').fill(email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByText('a reset link (valid for one hour) is on its way').waitFor();

    const link = await linkFrom(email, 'reset-password');
    await page.goto(`${app.url}${link}`);
    await page.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor();
    await checkPage(page, '37-reset');
    const fresh = 'a brand new passphrase 2026';
    await page.getByLabel('New password', { exact: true }).fill(fresh);
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByText('Your password is changed and every session ended.').waitFor();
    await checkPage(page, '38-reset-done');

    // The session signed in before the reset has ended.
    await visit(first.page, '/console', 'Sign in');
    // The new password signs in; the old one does not.
    await page.goto(`${app.url}/console`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').first().waitFor();
    await page.getByLabel('Password').fill(fresh);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();

    // The same link a second time: refused, and the password stays the new one.
    const again = await open();
    await again.page.goto(`${app.url}${link}`);
    await again.page.getByLabel('New password', { exact: true }).fill('yet another passphrase 7');
    await again.page.getByRole('button', { name: 'Set password' }).click();
    await again.page.getByText(/invalid, used or expired/).waitFor();
    await checkPage(again.page, '39-reset-link-used');
    for (const p of pages) {
      expect(p.outside).toEqual([]);
      expect(p.violations).toEqual([]);
    }
  }, 180_000);
});
