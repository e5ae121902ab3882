// Image URL tokens are opaque (docs/tokens-and-sessions.md#image-url-tokens): nothing about the client, the
// account, the requester's IP or tier can be read from a URL; any changed byte is refused; and the token is no
// longer than the signed-JSON token it replaced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openToken } from '../../../src/modules/images/signed-url-token.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { seed } from '../../helpers/testkit.ts';

let app: TestApp;
let product: { barcode: string; gtin14: string };

beforeAll(async () => {
  app = await startTestApp();
  product = await seed(app).product({ images: ['front', 'back'] });
});
afterAll(async () => {
  await app?.close();
});

async function issuedUrls(tier: 'free' | 'standard' | 'enterprise' = 'standard') {
  const c = await seed(app).client({ credits: 10, tier });
  const res = await call(app.url, `/api/v1/products/${product.barcode}?include=images`, { token: c.accessToken });
  expect(res.status).toBe(200);
  return { client: c, urls: Object.values(res.body.images) as string[] };
}
const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);
const keys = () =>
  app.env.IMAGE_URL_KEYS.split(',').map((e) => ({
    kid: e.slice(0, e.indexOf(':')),
    secret: e.slice(e.indexOf(':') + 1),
  }));
const ulidBytes = (ulid: string) => {
  const A = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let n = 0n;
  for (const ch of ulid) n = (n << 5n) | BigInt(A.indexOf(ch));
  return Buffer.from(n.toString(16).padStart(32, '0'), 'hex');
};

describe('opaque image URL tokens', () => {
  it('reveal no client, account, IP or tier, in any segment, as text or as packed bytes', async () => {
    for (const tier of ['free', 'enterprise'] as const) {
      const { client, urls } = await issuedUrls(tier);
      for (const url of urls) {
        const token = tokenOf(url);
        expect(token).not.toContain(client.clientId);
        const decoded = [...token.split('.'), token.replace('.', '')].map((s) => Buffer.from(s, 'base64url'));
        const [clientUlid, accountUlid] = [client.clientId.split('_')[1], client.accountId.split('_')[1]];
        const secrets = [client.clientId, client.accountId, clientUlid, accountUlid, '127.0.0.1', tier].map((s) =>
          Buffer.from(s),
        );
        secrets.push(ulidBytes(clientUlid), ulidBytes(accountUlid), Buffer.from([127, 0, 0, 1]));
        for (const bytes of decoded) {
          for (const s of secrets) expect(bytes.includes(s), `${s.toString('hex')} in the token`).toBe(false);
          expect(bytes.toString('latin1')).not.toMatch(/client|account|tier|standard|enterprise|free|"ip"/);
        }
        // Yet the service itself reads them back: the trace names the client.
        const trace = await call(app.url, `/admin/v1/trace/${token}`, { token: app.adminToken });
        expect(trace.body).toMatchObject({
          client_id: client.clientId,
          account_id: client.accountId,
          ip: '127.0.0.1',
          tier,
        });
      }
    }
  });

  it('refuses a token with any single byte changed, and the untouched token still works', async () => {
    const { urls } = await issuedUrls();
    const token = tokenOf(urls[0]);
    const [body, tag] = token.split('.').map((s) => Buffer.from(s, 'base64url'));
    const statuses = new Map<number, number>();
    const tampered: string[] = [];
    for (let i = 0; i < body.length; i++) {
      const b = Buffer.from(body);
      b[i] ^= 0x01;
      tampered.push(`${b.toString('base64url')}.${tag.toString('base64url')}`);
    }
    for (let i = 0; i < tag.length; i++) {
      const t = Buffer.from(tag);
      t[i] ^= 0x80;
      tampered.push(`${body.toString('base64url')}.${t.toString('base64url')}`);
    }
    for (const t of tampered) {
      const r = await fetch(`${app.url}/api/v1/image/${t}`);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      // 403 signed_url_invalid; a changed version or kid-length byte makes the token malformed (400).
      expect([400, 403]).toContain(r.status);
      await r.arrayBuffer();
    }
    expect(statuses.get(403)).toBeGreaterThanOrEqual(tampered.length - 2);
    expect((await fetch(urls[0])).status).toBe(200);
  });

  it('is no longer than the signed-JSON token carrying the same claims (measured)', async () => {
    const { urls } = await issuedUrls();
    for (const url of urls) {
      const token = tokenOf(url);
      const opened = openToken(token, keys());
      expect(opened.ok).toBe(true);
      if (!opened.ok) continue;
      // The previous format: base64url(JSON claims) "." base64url(HMAC-SHA-256) (43 characters).
      const before = Buffer.from(JSON.stringify(opened.claims)).toString('base64url').length + 1 + 43;
      expect(token.length).toBeLessThanOrEqual(before);
      expect(token.length).toBeLessThan(before * 0.6);
    }
  });

  it('shows its kid in the clear header, so a key ring can rotate', async () => {
    const { urls } = await issuedUrls();
    const body = Buffer.from(tokenOf(urls[0]).split('.')[0], 'base64url');
    expect(body[0]).toBe(2);
    expect(body.subarray(2, 2 + body[1]).toString('latin1')).toBe(keys()[0].kid);
  });
});
