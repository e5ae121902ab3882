import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyEntry } from '../../../src/kernel/key-ring.ts';
import { createLogger } from '../../../src/kernel/logger.ts';
import { IMAGE_FORMATS, IMAGE_SIZES, SIZE_PX } from '../../../src/modules/catalog/image-spec.ts';
import { GrantRecorder } from '../../../src/modules/images/grant-recorder.ts';
import type { ImageGrant } from '../../../src/modules/images/image-grant.ts';
import { sniff } from '../../../src/modules/images/magic-bytes.ts';
import { SignedUrlIssuer } from '../../../src/modules/images/signed-url-issuer.ts';
import { type ImageClaims, openToken, sealToken } from '../../../src/modules/images/signed-url-token.ts';
import type { TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { type Deployment, startNodes } from '../../helpers/nodes.ts';
import { picture, seed } from '../../helpers/testkit.ts';

const key = (kid: string): KeyEntry => ({ kid, secret: randomBytes(32).toString('base64url') });

describe('signed one-shot image URLs (GET /api/v1/image/{token})', () => {
  let deployment: Deployment<TestApp>;
  let app: TestApp;
  let recorder: GrantRecorder;
  let product: { barcode: string; gtin14: string };
  let client: { clientId: string; accountId: string };
  const keyA = key('ka');
  const keyB = key('kb');

  beforeAll(async () => {
    deployment = await startNodes(1, {
      env: { IMAGE_URL_KEYS: `${keyA.kid}:${keyA.secret},${keyB.kid}:${keyB.secret}` },
    });
    [app] = deployment.nodes;
    recorder = new GrantRecorder(app.db.sql, createLogger('silent'), { flushIntervalMs: 60_000 });
    product = await seed(app).product({ images: { front: await picture(640, 480, 'jpeg') } });
    client = await seed(app).client({ tier: 'standard' });
  });
  afterAll(async () => {
    await recorder?.close();
    await deployment?.close();
  });

  const grant = (over: Partial<ImageGrant> = {}): ImageGrant => ({
    clientId: client.clientId,
    accountId: client.accountId,
    tier: 'standard',
    ip: '127.0.0.1',
    requestId: `req_test_${randomBytes(4).toString('hex')}`,
    gtin14: product.gtin14,
    barcode: product.barcode,
    variant: 'front',
    size: 'original',
    format: 'original',
    ...over,
  });
  const issue = (over: Partial<ImageGrant> = {}, keys: KeyEntry[] = [keyA], now?: () => number) =>
    new SignedUrlIssuer(keys, recorder, { now }).issueToken(grant(over)).token;
  const get = (token: string, init: RequestInit = {}, base = app.url) => fetch(`${base}/api/v1/image/${token}`, init);
  const errorOf = async (r: Response) => ({ status: r.status, error: (await r.json()).error });

  it('delivers the bytes with the contract headers, once', async () => {
    const t = issue();
    const r = await get(t);
    expect(r.status).toBe(200);
    const bytes = Buffer.from(await r.arrayBuffer());
    expect(sniff(bytes)).toBe('jpeg');
    expect(r.headers.get('content-type')).toBe('image/jpeg');
    expect(r.headers.get('content-length')).toBe(String(bytes.length));
    expect(r.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{16,}"$/);
    const cc = /^public, max-age=(\d+), immutable$/.exec(r.headers.get('cache-control') ?? '');
    expect(cc).not.toBeNull();
    expect(Number(cc![1])).toBeGreaterThan(880);
    expect(Number(cc![1])).toBeLessThanOrEqual(900);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('content-disposition')).toBe(`inline; filename="${product.barcode}_front.jpg"`);
    expect(r.headers.get('x-request-id')).toMatch(/^req_/);
    expect(await errorOf(await get(t))).toEqual({ status: 410, error: 'signed_url_used' });
  });

  it('HEAD checks without redeeming; GET then redeems; HEAD afterwards sees it used', async () => {
    const t = issue();
    const h = await get(t, { method: 'HEAD' });
    expect(h.status).toBe(200);
    expect(h.headers.get('content-type')).toBe('image/jpeg');
    expect(Number(h.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await h.text()).toBe('');
    expect((await get(t, { method: 'HEAD' })).status).toBe(200);
    const g = await get(t);
    expect(g.status).toBe(200);
    expect(Buffer.from(await g.arrayBuffer()).length).toBe(Number(h.headers.get('content-length')));
    expect((await get(t, { method: 'HEAD' })).status).toBe(410);
  });

  it('refuses every tampered claim, a tampered signature, and malformed tokens', async () => {
    const t = issue();
    const [payload, sig] = t.split('.');
    // The claims are sealed: read them with the key, and forge each change as the re-sealed claims under the
    // original tag (the old format's "changed claims under the original signature").
    const opened = openToken(t, [keyA]);
    if (!opened.ok) throw new Error('the issued token does not open');
    const claims = opened.claims;
    const changes: Record<string, unknown> = {
      gid: 'grt_OTHER',
      rid: 'req_other',
      client_id: 'cl_other',
      account_id: 'acc_other',
      tier: 'enterprise',
      barcode: '00000000000017',
      printed: '12345670',
      variant: 'back',
      size: 'thumb',
      format: 'webp',
      ip: '127.0.0.2',
      iat: claims.iat - 1,
      iat_ms: claims.iat_ms + (claims.iat_ms % 2 ? -1 : 1),
      exp: claims.exp + 3600,
      nonce: randomBytes(16).toString('base64url'),
      kid: keyB.kid,
      src: 'a'.repeat(64),
    };
    for (const k of Object.keys(claims)) expect(changes, `a change for claim ${k}`).toHaveProperty(k);
    for (const [k, v] of Object.entries(changes)) {
      // The seconds move with their milliseconds (the token holds iat and iat's milliseconds).
      const changed = { ...claims, [k]: v, ...(k === 'iat' ? { iat_ms: claims.iat_ms - 1000 } : {}) } as ImageClaims;
      const forged = `${sealToken(changed, changed.kid === keyB.kid ? keyB : keyA).split('.')[0]}.${sig}`;
      expect({ k, ...(await errorOf(await get(forged))) }).toEqual({ k, status: 403, error: 'signed_url_invalid' });
    }
    const flipped = `${payload}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'AB' : 'AA'}`;
    expect(await errorOf(await get(flipped))).toEqual({ status: 403, error: 'signed_url_invalid' });
    for (const bad of [
      'garbage',
      `${payload}`,
      `${payload}.${sig}.x`,
      `${Buffer.from('{"a":1}').toString('base64url')}.${sig}`,
      `${Buffer.from('not json').toString('base64url')}.${sig}`,
    ]) {
      expect(await errorOf(await get(bad))).toEqual({ status: 400, error: 'bad_request' });
    }
    // The untampered token still works: the failures above did not burn it.
    expect((await get(t)).status).toBe(200);
  });

  it('verifies with every configured key and refuses an unknown or retired kid', async () => {
    expect((await get(issue({}, [keyB]))).status).toBe(200);
    expect(await errorOf(await get(issue({}, [key('zz')])))).toEqual({ status: 403, error: 'signed_url_invalid' });
    // Same kid, other secret (a forged key id).
    expect(await errorOf(await get(issue({}, [{ kid: keyA.kid, secret: key('x').secret }])))).toEqual({
      status: 403,
      error: 'signed_url_invalid',
    });
    // Rotation: a node configured with only the new key no longer accepts the retired one.
    const newOnly = await deployment.add(
      { IMAGE_URL_KEYS: `${keyA.kid}:${keyA.secret}` },
      { dataDir: app.config.dataDir },
    );
    try {
      expect(await errorOf(await get(issue({}, [keyB]), {}, newOnly.url))).toEqual({
        status: 403,
        error: 'signed_url_invalid',
      });
      expect((await get(issue({}, [keyA]), {}, newOnly.url)).status).toBe(200);
    } finally {
      await newOnly.close();
    }
  });

  it('honours expiry with a 30 s clock-skew grace', async () => {
    const ago = (sec: number) => () => Date.now() - sec * 1000;
    expect((await get(issue({}, [keyA], ago(900 + 20)))).status).toBe(200);
    expect(await errorOf(await get(issue({}, [keyA], ago(900 + 45))))).toEqual({
      status: 410,
      error: 'signed_url_expired',
    });
    // Expiry is checked before the IP: an expired URL from elsewhere is "expired".
    expect(await errorOf(await get(issue({ ip: '10.9.9.9' }, [keyA], ago(2000))))).toEqual({
      status: 410,
      error: 'signed_url_expired',
    });
  });

  it('binds the URL to the requester IP: direct, untrusted proxy header, trusted proxy', async () => {
    expect(await errorOf(await get(issue({ ip: '198.51.100.7' })))).toEqual({
      status: 403,
      error: 'signed_url_ip_mismatch',
    });
    // Without TRUSTED_PROXIES the forwarded header is ignored: the socket address (127.0.0.1) counts.
    expect(
      await errorOf(await get(issue({ ip: '198.51.100.7' }), { headers: { 'x-forwarded-for': '198.51.100.7' } })),
    ).toEqual({ status: 403, error: 'signed_url_ip_mismatch' });
    const behindProxy = await deployment.add({ TRUSTED_PROXIES: '127.0.0.1/32' }, { dataDir: app.config.dataDir });
    try {
      expect(
        (await get(issue({ ip: '198.51.100.7' }), { headers: { 'x-forwarded-for': '198.51.100.7' } }, behindProxy.url))
          .status,
      ).toBe(200);
      expect(
        await errorOf(
          await get(issue({ ip: '198.51.100.7' }), { headers: { 'x-forwarded-for': '198.51.100.8' } }, behindProxy.url),
        ),
      ).toEqual({ status: 403, error: 'signed_url_ip_mismatch' });
      // A client spoofing a hop in front of the trusted proxy: the rightmost untrusted hop counts.
      expect(
        await errorOf(
          await get(
            issue({ ip: '198.51.100.7' }),
            { headers: { 'x-forwarded-for': '198.51.100.7, 203.0.113.9' } },
            behindProxy.url,
          ),
        ),
      ).toEqual({ status: 403, error: 'signed_url_ip_mismatch' });
    } finally {
      await behindProxy.close();
    }
  });

  it('redeems exactly once under 20 concurrent GETs across two server processes', async () => {
    // Two separate OS processes share Redis (when configured); without Redis one process is the deployment.
    const nodes = process.env.REDIS_URL ? await Promise.all([deployment.spawn(), deployment.spawn()]) : [];
    try {
      const urls = nodes.length ? nodes.map((n) => n.url) : [app.url];
      const t = issue();
      const res = await Promise.all(Array.from({ length: 20 }, (_, i) => get(t, {}, urls[i % urls.length])));
      const statuses = res.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 410)).toHaveLength(19);
      await Promise.all(res.map((r) => r.arrayBuffer()));
    } finally {
      await Promise.all(nodes.map((n) => n.stop()));
    }
  });

  it('renders every size x format with a Content-Type that agrees with the magic bytes', async () => {
    const want = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', avif: 'image/avif' } as const;
    for (const size of IMAGE_SIZES) {
      for (const format of IMAGE_FORMATS) {
        const r = await get(issue({ size, format }));
        expect(r.status).toBe(200);
        const bytes = Buffer.from(await r.arrayBuffer());
        const magic = sniff(bytes);
        expect(magic).toBe(format === 'original' ? 'jpeg' : format);
        expect(r.headers.get('content-type')).toBe(want[magic as keyof typeof want]);
        const m = await sharp(bytes).metadata();
        expect(Math.max(m.width!, m.height!)).toBe(Math.min(SIZE_PX[size] ?? 640, 640));
        expect(r.headers.get('content-disposition')).toMatch(
          new RegExp(`_front\\.${magic === 'jpeg' ? 'jpg' : magic}"$`),
        );
      }
    }
  });

  it('watermarks Free-tier deliveries visibly', async () => {
    const std = Buffer.from(await (await get(issue({ size: 'small', format: 'png' }))).arrayBuffer());
    const free = Buffer.from(await (await get(issue({ size: 'small', format: 'png', tier: 'free' }))).arrayBuffer());
    const a = await sharp(std).removeAlpha().raw().toBuffer();
    const b = await sharp(free).removeAlpha().raw().toBuffer();
    expect(a.length).toBe(b.length);
    let changed = 0;
    for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - b[i]) > 24) changed++;
    // A visible overlay changes a good share of the picture, not a few pixels.
    expect(changed / a.length).toBeGreaterThan(0.05);
  });

  it('traces an issued and redeemed URL to client, request, product, IP and times', async () => {
    const g = grant();
    const t = new SignedUrlIssuer([keyA], recorder).issueToken(g).token;
    const before = await call(app.url, `/admin/v1/trace/${t}`, { token: app.adminToken });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      client_id: client.clientId,
      account_id: client.accountId,
      issue_request_id: g.requestId,
      barcode: product.barcode,
      gtin14: product.gtin14,
      variant: 'front',
      ip: '127.0.0.1',
      signature: 'valid',
      redeemed: false,
      redeemed_at: null,
    });
    await recorder.flush();
    const r = await get(t);
    expect(r.status).toBe(200);
    const after = await call(app.url, `/admin/v1/trace/${t}`, { token: app.adminToken });
    expect(after.body.recorded).toBe(true);
    expect(after.body.redeemed).toBe(true);
    expect(after.body.redemption_request_id).toBe(r.headers.get('x-request-id'));
    expect(Date.parse(after.body.redeemed_at)).toBeGreaterThanOrEqual(Date.parse(after.body.issued_at));
    expect(after.body.redeemed_ip).toBe('127.0.0.1');
    expect((await call(app.url, `/admin/v1/trace/${t}`)).status).toBe(401);
    expect((await call(app.url, '/admin/v1/trace/garbage', { token: app.adminToken })).status).toBe(400);
  });

  it('issues working URLs from the paid product read', async () => {
    const paying = await seed(app).client({ credits: 10, tier: 'standard' });
    const res = await call(
      app.url,
      `/api/v1/products/${product.barcode}?include=images&image_size=thumb&image_format=webp`,
      { token: paying.accessToken },
    );
    expect(res.status).toBe(200);
    const url = res.body.images.front as string;
    expect(url).toMatch(/\/api\/v1\/image\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const r = await fetch(url);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/webp');
    const trace = await call(app.url, `/admin/v1/trace/${encodeURIComponent(url)}`, { token: app.adminToken });
    expect(trace.body).toMatchObject({
      client_id: paying.clientId,
      issue_request_id: res.headers.get('x-request-id'),
      size: 'thumb',
      format: 'webp',
      redeemed: true,
    });
  });
});
