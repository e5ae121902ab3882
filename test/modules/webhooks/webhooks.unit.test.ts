// The webhook building blocks without a database: signatures (checked by the standardwebhooks package), secrets
// at rest, target safety (addresses, URLs, the per-connection DNS check against rebinding), the POST itself
// (no redirects, 1 KB kept, timeout), the retry schedule and the payload shapes (docs/webhooks.md).

import type dns from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/main/config.ts';
import { payloadOf, retryDelayMs } from '../../../src/modules/webhooks/webhook-dispatcher.ts';
import { newSigningSecret, SecretBox, sign } from '../../../src/modules/webhooks/webhook-signer.ts';
import {
  checkTargetAddress,
  isPublicAddress,
  parseTargetUrl,
  WebhookPoster,
} from '../../../src/modules/webhooks/webhook-target.ts';
import { testSecrets } from '../../helpers/secrets.ts';

describe('signatures', () => {
  it('verify with the standardwebhooks package, and fail for another secret or body', () => {
    const secret = newSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const body = JSON.stringify({
      type: 'product.updated',
      timestamp: new Date().toISOString(),
      data: { barcode: '1' },
    });
    const ts = Math.floor(Date.now() / 1000);
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(ts),
      'webhook-signature': sign(secret, 'msg_1', ts, body),
    };
    expect(new Webhook(secret).verify(body, headers)).toMatchObject({ type: 'product.updated' });
    expect(() => new Webhook(newSigningSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
  });

  it('secrets are sealed with AES-256-GCM under a key ring: rotation keeps old ones readable, tampering fails', () => {
    const old = new SecretBox([{ kid: 'a', secret: 'x'.repeat(32) }]);
    const sealed = old.seal('whsec_abc');
    expect(sealed.startsWith('a:')).toBe(true);
    expect(sealed).not.toContain('abc');
    const rotated = new SecretBox([
      { kid: 'b', secret: 'y'.repeat(32) },
      { kid: 'a', secret: 'x'.repeat(32) },
    ]);
    expect(rotated.open(sealed)).toBe('whsec_abc');
    expect(rotated.seal('s').startsWith('b:')).toBe(true);
    const parts = sealed.split(':');
    parts[2] = Buffer.from('whsec_abd').toString('base64url');
    expect(old.open(parts.join(':'))).toBeNull();
    expect(new SecretBox([{ kid: 'c', secret: 'z'.repeat(32) }]).open(sealed)).toBeNull();
    expect(old.open('garbage')).toBeNull();
  });
});

describe('target safety', () => {
  it('knows public from loopback, private, link-local, metadata and reserved addresses', () => {
    for (const a of ['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111']) expect(isPublicAddress(a), a).toBe(true);
    for (const a of [
      '127.0.0.1',
      '10.0.0.1',
      '172.20.1.1',
      '192.168.0.1',
      '169.254.169.254',
      '100.100.100.200',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      '::',
      'fe80::1',
      'fd00:ec2::254',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      // Issue 24: every IPv6 form that reaches IPv4 or private space.
      '::7f00:1', // [::127.0.0.1], IPv4-compatible ::/96
      '::a00:1',
      '::ffff:0:7f00:1', // [::ffff:0:7f00:1], IPv4-translated ::ffff:0:0:0/96
      '::ffff:0:a9fe:a9fe',
      '64:ff9b::7f00:1', // NAT64
      '64:ff9b::a9fe:a9fe',
      '2002:7f00:1::1', // 6to4 of 127.0.0.1
      '2002:c0a8:1::', // 6to4 of 192.168.0.1
      'fc00::1',
      'fdff:ffff::1',
      'febf::1',
      'not-an-ip',
    ]) {
      expect(isPublicAddress(a), a).toBe(false);
    }
  });

  it('refuses the IPv6 spellings of loopback that URLs normalise: [::127.0.0.1] and [::ffff:0:7f00:1]', async () => {
    const prod = { allowLocal: false };
    for (const raw of ['https://[::127.0.0.1]/', 'https://[::ffff:0:7f00:1]/', 'https://[64:ff9b::7f00:1]/']) {
      await expect(checkTargetAddress(parseTargetUrl(raw, prod), prod), raw).rejects.toThrow(/public/);
    }
  });

  it('allows port 443 (80 for http where http is allowed) and the configured ports; others only for local targets', async () => {
    const prod = { allowLocal: false };
    expect(parseTargetUrl('https://example.com:443/', prod).port).toBe('');
    expect(() => parseTargetUrl('https://example.com:8443/', prod)).toThrow(/port 8443/);
    expect(() => parseTargetUrl('https://example.com:22/', prod)).toThrow(/port 22/);
    expect(parseTargetUrl('https://example.com:8443/', { allowLocal: false, extraPorts: [8443] }).port).toBe('8443');
    const local = { allowLocal: true };
    const resolveTo = (addrs: string[]) => async () => addrs;
    // Under WEBHOOKS_ALLOW_LOCAL: any port of a local receiver, but no port probe of a public host.
    await expect(checkTargetAddress(new URL('http://127.0.0.1:8080/'), local)).resolves.toBeUndefined();
    await expect(
      checkTargetAddress(new URL('http://hooks.example:8080/'), local, resolveTo(['10.1.2.3'])),
    ).resolves.toBeUndefined();
    await expect(
      checkTargetAddress(new URL('http://hooks.example:22/'), local, resolveTo(['93.184.215.14'])),
    ).rejects.toThrow(/only for local targets/);
    await expect(checkTargetAddress(new URL('https://93.184.215.14:8443/'), local)).rejects.toThrow(/local/);
    await expect(
      checkTargetAddress(new URL('http://hooks.example/'), local, resolveTo(['93.184.215.14'])),
    ).resolves.toBeUndefined();
  });

  it('WEBHOOKS_ALLOW_LOCAL is off unless set, whatever NODE_ENV says', () => {
    for (const NODE_ENV of ['development', 'test', 'production']) {
      const env = {
        ...testSecrets(),
        ...{
          NODE_ENV,
          ADMIN_TOKEN: 'a'.repeat(40),
          DATABASE_URL: 'postgres://db.invalid/kc',
          WEBHOOKS_ALLOW_LOCAL: undefined,
        },
      };
      expect(loadConfig(env).webhooks.allowLocal, NODE_ENV).toBe(false);
    }
    expect(loadConfig({ ...testSecrets(), WEBHOOKS_ALLOW_LOCAL: '1' }).webhooks.allowLocal).toBe(true);
    expect(() => loadConfig({ ...testSecrets(), WEBHOOKS_PORTS: '8443,99999' })).toThrow(/WEBHOOKS_PORTS/);
  });

  it('parses URLs: https only in production, no credentials or fragments, at most 2048 characters', () => {
    const prod = { allowLocal: false };
    expect(parseTargetUrl('https://example.com/h?x=1', prod).toString()).toBe('https://example.com/h?x=1');
    expect(() => parseTargetUrl('http://example.com/', prod)).toThrow(/https/);
    expect(parseTargetUrl('http://127.0.0.1:8080/', { allowLocal: true }).port).toBe('8080');
    for (const bad of [
      '',
      'example.com',
      'ftp://example.com',
      'https://u:p@example.com/',
      'https://example.com/#x',
      `https://example.com/${'a'.repeat(2048)}`,
      'javascript:alert(1)',
    ]) {
      expect(() => parseTargetUrl(bad, prod), bad).toThrow();
    }
  });

  it('refuses a name that resolves to a private address, or does not resolve', async () => {
    const prod = { allowLocal: false };
    const resolveTo = (addrs: string[]) => async () => addrs;
    await expect(
      checkTargetAddress(new URL('https://hooks.example/'), prod, resolveTo(['93.184.215.14'])),
    ).resolves.toBeUndefined();
    await expect(
      checkTargetAddress(new URL('https://hooks.example/'), prod, resolveTo(['93.184.215.14', '10.0.0.1'])),
    ).rejects.toThrow(/public/);
    await expect(checkTargetAddress(new URL('https://hooks.example/'), prod, resolveTo([]))).rejects.toThrow(/resolve/);
    await expect(
      checkTargetAddress(new URL('https://hooks.example/'), prod, async () => {
        throw new Error('ENOTFOUND');
      }),
    ).rejects.toThrow(/resolve/);
    await expect(checkTargetAddress(new URL('https://localhost/'), prod)).rejects.toThrow(/public/);
    await expect(checkTargetAddress(new URL('http://localhost/'), { allowLocal: true })).resolves.toBeUndefined();
  });
});

describe('the POST', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      if (req.url === '/redirect') {
        res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' });
        res.end();
      } else if (req.url === '/big') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('é'.repeat(5000));
      } else if (req.url === '/slow') {
        setTimeout(() => res.end('late'), 1500);
      } else if (req.url === '/busy') {
        res.writeHead(503, { 'retry-after': '7' });
        res.end('busy');
      } else res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('does not follow redirects, keeps at most 1 KB of the answer, and times out', async () => {
    const poster = new WebhookPoster({ allowLocal: true, timeoutMs: 500 });
    try {
      const redirect = await poster.post(`${base}/redirect`, {}, '{}');
      expect(redirect).toMatchObject({ status: 302, error: expect.stringContaining('not followed') });
      const big = await poster.post(`${base}/big`, {}, '{}');
      expect(big.status).toBe(200);
      expect(Buffer.byteLength(big.answer ?? '', 'utf8')).toBeLessThanOrEqual(1024);
      expect(big.answer?.length).toBe(512);
      // An answer from a loopback address is never shown, only read (by the verification handshake).
      expect(big.excerpt).toBeNull();
      const slow = await poster.post(`${base}/slow`, {}, '{}');
      expect(slow).toMatchObject({ status: null, error: expect.stringContaining('500 ms') });
      expect(await poster.post(`${base}/busy`, {}, '{}')).toMatchObject({ status: 503, retryAfterSec: 7 });
    } finally {
      poster.close();
    }
  });

  it('checks the address per connection: a name re-pointed at loopback (DNS rebinding) is not contacted', async () => {
    let hits = 0;
    server.on('request', () => {
      hits++;
    });
    const port = new URL(base).port;
    const rebinding = ((_host: string, _opts: unknown, cb: (e: Error | null, a: dns.LookupAddress[]) => void) =>
      cb(null, [{ address: '127.0.0.1', family: 4 }])) as unknown as typeof dns.lookup;
    const prod = new WebhookPoster({
      allowLocal: false,
      extraPorts: [Number(port)],
      timeoutMs: 2000,
      lookup: rebinding,
    });
    try {
      const r = await prod.post(`https://hooks.example:${port}/`, {}, '{}');
      expect(r).toMatchObject({ status: null, error: expect.stringContaining('non-public') });
      expect(await prod.post(`https://127.0.0.1:${port}/`, {}, '{}')).toMatchObject({
        status: null,
        error: expect.stringContaining('public'),
      });
      expect(hits).toBe(0);
    } finally {
      prod.close();
    }
  });
});

describe('retries and payloads', () => {
  it('backs off exponentially with jitter, capped, honouring Retry-After', () => {
    const o = { retryBaseMs: 5000, retryMaxMs: 3_600_000 };
    expect(retryDelayMs(1, o, null, () => 0)).toBe(2500);
    expect(retryDelayMs(1, o, null, () => 1)).toBe(5000);
    expect(retryDelayMs(3, o, null, () => 1)).toBe(20_000);
    expect(retryDelayMs(50, o, null, () => 1)).toBe(3_600_000);
    expect(retryDelayMs(1, o, 60, () => 0)).toBe(60_000);
    // 3 days of capped hourly retries is a bounded number of attempts.
    let t = 0;
    let n = 0;
    while (t < 3 * 86_400_000) t += retryDelayMs(++n, o, null, () => 0.5);
    expect(n).toBeLessThan(120);
  });

  it('says that something changed, never the paid data', () => {
    const at = new Date('2026-11-26T10:00:00Z');
    const base = {
      subscription_id: 'wh_1',
      barcode: '7290000000001',
      updated_at: at,
      event_at: at,
      changed_fields: null,
      variant: null,
    };
    expect(payloadOf({ ...base, type: 'product.updated', changed_fields: ['brand'] })).toEqual({
      type: 'product.updated',
      timestamp: at.toISOString(),
      data: { barcode: '7290000000001', changed_fields: ['brand'], updated_at: at.toISOString() },
    });
    expect(payloadOf({ ...base, type: 'product.image_added', variant: 'front' })).toEqual({
      type: 'product.image_added',
      timestamp: at.toISOString(),
      data: { barcode: '7290000000001', variant: 'front', updated_at: at.toISOString() },
    });
    expect(payloadOf({ ...base, type: 'webhook.test', barcode: null })).toEqual({
      type: 'webhook.test',
      timestamp: at.toISOString(),
      data: { webhook_id: 'wh_1' },
    });
  });
});
