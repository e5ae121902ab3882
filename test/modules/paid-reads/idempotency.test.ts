// Idempotency-Key on every paid read (docs/billing.md#idempotency-keys), over HTTP against the real service:
// byte-identical replays with the original request id (GET, HEAD, GraphQL); the debit and the key's charge
// commit together, so a keyed request whose stored answer is lost (a failing write, its PostgreSQL backend
// terminated, its process killed with SIGKILL) is answered again from the committed charge and never charged
// twice; a key held by a dead attempt answers 409 + Retry-After until its lease runs out, then is recovered.

import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/modules/paid-reads/idempotency.service.ts';
import type { TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { balanceUnits } from '../../helpers/ledger.ts';
import { type Deployment, startNodes } from '../../helpers/nodes.ts';
import { seed } from '../../helpers/testkit.ts';

let deployment: Deployment<TestApp>;
let app: TestApp;
let withImages: string;
let plain: string;

const key = (prefix = 'idem') => `${prefix}-${randomBytes(12).toString('hex')}`;

interface Raw {
  status: number;
  headers: Headers;
  text: string;
}

async function raw(
  base: string,
  path: string,
  token: string,
  opts: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Raw> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, {
    method: opts.method ?? (opts.body ? 'POST' : 'GET'),
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

async function debits(accountId: string) {
  return app.db.sql<{ request_id: string; amount: bigint }[]>`
    select request_id, amount from credit_ledger where account_id = ${accountId} and kind = 'debit' order by entry_id`;
}

const fresh = () => seed(app).client({ credits: 100, tier: 'enterprise' });

beforeAll(async () => {
  deployment = await startNodes(1);
  [app] = deployment.nodes;
  withImages = (await seed(app).product({ meta: 'full', imageRows: ['front', 'back'] })).barcode;
  plain = (await seed(app).product({ meta: 'full' })).barcode;
  // Test-only fault: storing the answer of keys named failstore-* fails after the debit committed; for
  // failstore-kill-* the API's PostgreSQL backend is terminated mid-statement (as pg_terminate_backend would).
  await app.db.sql.unsafe(`
    create function test_fail_store() returns trigger language plpgsql as $$
    begin
      if new.response is not null and new.idem_key like 'failstore-%' then
        if new.idem_key like 'failstore-kill-%' then perform pg_terminate_backend(pg_backend_pid()); end if;
        raise exception 'test: storing the idempotent answer fails';
      end if;
      return new;
    end $$;
    create trigger test_fail_store before update on idempotency_records
      for each row execute function test_fail_store();`);
});
afterAll(async () => {
  await deployment?.close();
});

describe('replays are byte-identical and carry the original request id', () => {
  it('GET /api/v1/products/{barcode}: same bytes, same image URLs, nothing charged again', async () => {
    const c = await fresh();
    const k = key();
    const path = `/api/v1/products/${withImages}?include=product_meta,images&variants=front,back&image_size=small`;
    const first = await raw(app.url, path, c.accessToken, { headers: { 'idempotency-key': k } });
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotency-replayed')).toBeNull();
    const rid = first.headers.get('x-request-id')!;
    const balance = await balanceUnits(app.db.sql, c.accountId);
    // The same request in another barcode form and parameter order is the same request.
    const again = await raw(
      app.url,
      `/api/v1/products/0${withImages}?image_size=small&variants=front,back&include=product_meta,images`,
      c.accessToken,
      { headers: { 'idempotency-key': k } },
    );
    expect(again.status).toBe(200);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('x-request-id')).toBe(rid);
    expect(again.headers.get('idempotency-replayed')).toBe('1');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('x-credits-debited')).toBe('0');
    expect(again.headers.get('x-credits-remaining')).toBe(String(Number(balance) / 10_000));
    expect(again.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(again.headers.get('cache-control')).toBe('private, max-age=900');
    expect(JSON.parse(again.text).images).toEqual(JSON.parse(first.text).images);
    expect(await balanceUnits(app.db.sql, c.accountId)).toBe(balance);
    expect((await debits(c.accountId)).map((d) => d.request_id)).toEqual([rid]);

    const other = await call(app.url, `/api/v1/products/${withImages}?include=product_meta`, {
      token: c.accessToken,
      headers: { 'idempotency-key': k },
    });
    expect(other.status).toBe(409);
    expect(other.body.error).toBe('idempotency_key_mismatch');
    // Keys are per route: the same key on bulk-check is a different record.
    const bulk = await call(app.url, '/api/v1/products/bulk-check', {
      token: c.accessToken,
      body: { barcodes: [plain] },
      headers: { 'idempotency-key': k },
    });
    expect(bulk.status).toBe(200);
  });

  it('HEAD replays its status and X-Available-Variants', async () => {
    const c = await fresh();
    const k = key();
    const first = await raw(app.url, `/api/v1/products/${withImages}`, c.accessToken, {
      method: 'HEAD',
      headers: { 'idempotency-key': k },
    });
    const again = await raw(app.url, `/api/v1/products/${withImages}`, c.accessToken, {
      method: 'HEAD',
      headers: { 'idempotency-key': k },
    });
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.headers.get('x-available-variants')).toBe('front,back');
    expect(again.headers.get('x-request-id')).toBe(first.headers.get('x-request-id'));
    expect(again.headers.get('idempotency-replayed')).toBe('1');
    expect((await debits(c.accountId)).map((d) => d.amount)).toEqual([-500n]);
  });

  it('POST /graphql: same bytes, same requestId, nothing charged again; another operation is 409', async () => {
    const c = await fresh();
    const k = key();
    const query =
      'query($b: Barcode!, $s: ImageSize!) { product(barcode: $b) { barcode productMeta { brand } ' +
      'images { front(size: $s) } } }';
    const vars = { b: withImages, s: 'SMALL' };
    const first = await raw(app.url, '/graphql', c.accessToken, {
      body: { query, variables: vars },
      headers: { 'idempotency-key': k },
    });
    expect(first.status).toBe(200);
    const body = JSON.parse(first.text);
    expect(body.errors).toBeUndefined();
    expect(body.extensions.billing.creditsDebited).toBe(1.3);
    const rid = first.headers.get('x-request-id')!;
    expect(body.extensions.billing.requestId).toBe(rid);
    const balance = await balanceUnits(app.db.sql, c.accountId);
    // Variables in another key order are the same request.
    const again = await raw(app.url, '/graphql', c.accessToken, {
      body: { variables: { s: 'SMALL', b: withImages }, query },
      headers: { 'idempotency-key': k },
    });
    expect(again.status).toBe(200);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('x-request-id')).toBe(rid);
    expect(again.headers.get('idempotency-replayed')).toBe('1');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('x-credits-debited')).toBe('0');
    expect(again.headers.get('x-credits-remaining')).toBe(String(Number(balance) / 10_000));
    expect(await balanceUnits(app.db.sql, c.accountId)).toBe(balance);
    expect((await debits(c.accountId)).map((d) => d.request_id)).toEqual([rid]);

    const other = await raw(app.url, '/graphql', c.accessToken, {
      body: { query, variables: { b: plain, s: 'SMALL' } },
      headers: { 'idempotency-key': k },
    });
    expect(JSON.parse(other.text).errors[0].extensions.code).toBe('IDEMPOTENCY_KEY_MISMATCH');
    expect(await debits(c.accountId)).toHaveLength(1);
    const bad = await raw(app.url, '/graphql', c.accessToken, {
      body: { query, variables: vars },
      headers: { 'idempotency-key': 'short' },
    });
    expect(JSON.parse(bad.text).errors[0].extensions.code).toBe('BAD_REQUEST');
  });
});

describe('the debit and the key commit together', () => {
  it.each(['failstore', 'failstore-kill'])(
    '%s: the answer cannot be stored after the debit; the retry is rebuilt, not charged',
    async (prefix) => {
      const c = await fresh();
      const k = key(prefix);
      const barcodes = [withImages, plain];
      const first = await raw(app.url, '/api/v1/products/bulk-check', c.accessToken, {
        body: { barcodes },
        headers: { 'idempotency-key': k },
      });
      // The charge committed with the key's mark, so the answer still goes out.
      expect(first.status).toBe(200);
      const rid = first.headers.get('x-request-id')!;
      expect(first.headers.get('x-credits-debited')).toBe('0.02');
      const retry = await raw(app.url, '/api/v1/products/bulk-check', c.accessToken, {
        body: { barcodes },
        headers: { 'idempotency-key': k },
      });
      expect(retry.status).toBe(200);
      expect(retry.headers.get('idempotency-replayed')).toBe('1');
      expect(retry.headers.get('x-credits-debited')).toBe('0');
      expect(retry.headers.get('x-request-id')).toBe(rid);
      // Rebuilt from the committed charge: same request id, same charge, same rows.
      expect(retry.text).toBe(first.text);
      expect((await debits(c.accountId)).map((d) => [d.request_id, d.amount])).toEqual([[rid, -200n]]);
      expect(await balanceUnits(app.db.sql, c.accountId)).toBe(1_000_000n - 200n);
    },
  );

  it('GraphQL: the same, through the GraphQL door', async () => {
    const c = await fresh();
    const k = key('failstore-kill');
    const query = 'query($b: Barcode!) { product(barcode: $b) { productMeta { brand } images { back } } }';
    const first = await raw(app.url, '/graphql', c.accessToken, {
      body: { query, variables: { b: withImages } },
      headers: { 'idempotency-key': k },
    });
    expect(first.status).toBe(200);
    const rid = first.headers.get('x-request-id')!;
    const retry = await raw(app.url, '/graphql', c.accessToken, {
      body: { query, variables: { b: withImages } },
      headers: { 'idempotency-key': k },
    });
    expect(retry.headers.get('idempotency-replayed')).toBe('1');
    expect(retry.headers.get('x-request-id')).toBe(rid);
    const a = JSON.parse(first.text);
    const b = JSON.parse(retry.text);
    expect(b.extensions.billing).toEqual(a.extensions.billing);
    expect(b.data.product.productMeta).toEqual(a.data.product.productMeta);
    // A rebuilt answer signs its image URLs afresh (same request id, same image).
    expect(b.data.product.images.back).toMatch(/\/api\/v1\/image\//);
    expect((await debits(c.accountId)).map((d) => d.request_id)).toEqual([rid]);
  });

  it('once the answer is stored, later retries replay the stored bytes', async () => {
    const c = await fresh();
    const k = key();
    const path = `/api/v1/products/${plain}?include=product_meta`;
    const first = await raw(app.url, path, c.accessToken, { headers: { 'idempotency-key': k } });
    // Simulate a lost answer with the charge committed: forget the stored text, keep the charge, end the lease.
    await app.db
      .sql`update idempotency_records set status = 0, response = null, lease_until = now() where idem_key = ${k}`;
    const rebuilt = await raw(app.url, path, c.accessToken, { headers: { 'idempotency-key': k } });
    expect(rebuilt.text).toBe(first.text);
    const replayed = await raw(app.url, path, c.accessToken, { headers: { 'idempotency-key': k } });
    expect(replayed.text).toBe(first.text);
    expect(replayed.headers.get('x-request-id')).toBe(first.headers.get('x-request-id'));
    expect(await debits(c.accountId)).toHaveLength(1);
  });
});

describe('a key whose owner died', () => {
  it('answers 409 + Retry-After while the lease lasts, then runs once', async () => {
    const c = await fresh();
    const k = key();
    const barcodes = [plain];
    const hash = createHash('sha256').update(canonicalJson({ barcodes })).digest('hex');
    await app.db.sql`insert into idempotency_records
        (client_id, scope, idem_key, request_hash, status, body, lease_owner, lease_until)
      values (${c.clientId}, 'bulk-check', ${k}, ${hash}, 0, '{}', 'req_dead', now() + interval '7 seconds')`;
    const t0 = Date.now();
    const busy = await call(app.url, '/api/v1/products/bulk-check', {
      token: c.accessToken,
      body: { barcodes },
      headers: { 'idempotency-key': k },
    });
    expect(busy.status).toBe(409);
    expect(busy.body.error).toBe('conflict');
    const retryAfter = Number(busy.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(4_500);
    expect(await debits(c.accountId)).toHaveLength(0);
    await sleep(retryAfter * 1000 + 200);
    const ok = await call(app.url, '/api/v1/products/bulk-check', {
      token: c.accessToken,
      body: { barcodes },
      headers: { 'idempotency-key': k },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('idempotency-replayed')).toBeNull();
    expect((await debits(c.accountId)).map((d) => d.request_id)).toEqual([ok.headers.get('x-request-id')]);
  }, 30_000);

  it('SIGKILL of the API process mid-request: recovered within the lease, charged once', async () => {
    const c = await fresh();
    const k = key();
    const barcodes = [withImages, plain];
    const proc = await deployment.spawn();
    // Hold the account row so the child's debit waits inside PostgreSQL, then kill the child there.
    const lock = await app.db.sql.reserve();
    try {
      await lock`begin`;
      await lock`select 1 from accounts where account_id = ${c.accountId} for update`;
      const inflight = raw(proc.url, '/api/v1/products/bulk-check', c.accessToken, {
        body: { barcodes },
        headers: { 'idempotency-key': k },
      }).catch(() => null);
      for (let i = 0; ; i++) {
        const [{ n }] = await app.db.sql<{ n: number }[]>`select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock' and query like '%debitBatch%'`;
        if (n > 0) break;
        if (i > 200) throw new Error('the child never reached its debit');
        await sleep(25);
      }
      const [{ lease_owner: childRequest }] = await app.db.sql<{ lease_owner: string }[]>`
        select lease_owner from idempotency_records where idem_key = ${k}`;
      const exited = new Promise((r) => proc.child.once('exit', r));
      proc.child.kill('SIGKILL');
      await exited;
      expect(await inflight).toBeNull();
      await lock`rollback`;

      // The key is still leased to the dead process: a retry waits, then gets 409 with Retry-After.
      const busy = await call(app.url, '/api/v1/products/bulk-check', {
        token: c.accessToken,
        body: { barcodes },
        headers: { 'idempotency-key': k },
      });
      expect(busy.status).toBe(409);
      expect(busy.body.error).toBe('conflict');
      expect(Number(busy.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      let res = busy;
      const started = Date.now();
      while (res.status === 409) {
        expect(Date.now() - started).toBeLessThan(30_000); // recovered within 30 s of the death
        await sleep(Number(res.headers.get('retry-after') ?? 1) * 1000);
        res = await call(app.url, '/api/v1/products/bulk-check', {
          token: c.accessToken,
          body: { barcodes },
          headers: { 'idempotency-key': k },
        });
      }
      expect(res.status).toBe(200);
      const rows = await debits(c.accountId);
      expect(rows).toHaveLength(1);
      // Its backend was waiting on the lock when the process died; once the lock went, the debit and the key's
      // charged mark committed together (PostgreSQL does not notice the dead client mid-statement). The retry
      // is answered from that charge: rebuilt, as a replay of the dead request, and not charged again.
      expect(rows.map((r) => r.request_id)).toEqual([childRequest]);
      expect(res.headers.get('idempotency-replayed')).toBe('1');
      expect(res.headers.get('x-request-id')).toBe(childRequest);
      expect(res.headers.get('x-credits-debited')).toBe('0');
      expect(res.body.meta).toEqual({ request_id: childRequest, credits_debited: 0.02, credits_remaining: 99.98 });
      expect(await balanceUnits(app.db.sql, c.accountId)).toBe(1_000_000n - 200n);
    } finally {
      lock.release();
      if (proc.child.exitCode === null && proc.child.signalCode === null) await proc.stop();
    }
  }, 60_000);
});

describe('billing by the letter (explicit include)', () => {
  it('include=product_meta&variants=front bills product_meta only; image_meta&variants=back only that', async () => {
    const c = await fresh();
    const a = await call(app.url, `/api/v1/products/${withImages}?include=product_meta&variants=front`, {
      token: c.accessToken,
    });
    expect(a.status).toBe(200);
    expect(Object.keys(a.body).sort()).toEqual(['barcode', 'meta', 'product_meta']);
    expect(a.body.meta.credits_debited).toBe(0.5);
    const b = await call(app.url, `/api/v1/products/${withImages}?include=image_meta&variants=back`, {
      token: c.accessToken,
    });
    expect(Object.keys(b.body).sort()).toEqual(['barcode', 'image_meta', 'meta']);
    expect(Object.keys(b.body.image_meta)).toEqual(['back']);
    expect(b.body.meta.credits_debited).toBe(0.5);
    // Omitted include + variants keeps the documented landmine: both metadata scopes and the images.
    const d = await call(app.url, `/api/v1/products/${withImages}?variants=front`, { token: c.accessToken });
    expect(Object.keys(d.body).sort()).toEqual(['barcode', 'image_meta', 'images', 'meta', 'product_meta']);
    expect(d.body.meta.credits_debited).toBe(1.8);
    expect((await debits(c.accountId)).map((r) => r.amount)).toEqual([-5000n, -5000n, -18000n]);
  });
});
