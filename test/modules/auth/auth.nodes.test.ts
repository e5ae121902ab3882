// Revocations and client changes made on one node hold on the others within 5 s: a second in-process node
// sharing the database and the Redis key prefix, and a separate server process sharing the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess, TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { type Deployment, startNodes } from '../../helpers/nodes.ts';
import { seed } from '../../helpers/testkit.ts';

let deployment: Deployment<TestApp>;
let a: TestApp;
let b: TestApp;
let proc: ServerProcess;

const ABSENT = '/api/v1/products/4006381333931';
/** Past the gate a token gets 404 not_found for this absent product; the gate answers 401/403. */
const status = async (url: string, token: string) => (await call(url, ABSENT, { token })).status;

/** Polls until the node answers `want`; returns the milliseconds it took (fails after 5 s). */
async function within5s(url: string, token: string, want: number): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    const s = await status(url, token);
    if (s === want) return Date.now() - t0;
    if (Date.now() - t0 > 5000) throw new Error(`still ${s} after 5 s, wanted ${want}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  deployment = await startNodes(2);
  [a, b] = deployment.nodes;
  proc = await deployment.spawn();
});
afterAll(async () => {
  await deployment?.close();
});

describe('across nodes', () => {
  it('refresh-token reuse detected on node A revokes the access tokens on node B and on another process', async () => {
    const c = await seed(a).client();
    // Warm every node's client cache, so the revocation cannot ride on a cold cache.
    expect(await status(b.url, c.accessToken)).toBe(404);
    expect(await status(proc.url, c.accessToken)).toBe(404);
    expect((await call(a.url, '/api/v1/auth/refresh', { body: { refresh_token: c.refreshToken } })).status).toBe(200);
    expect((await call(b.url, '/api/v1/auth/refresh', { body: { refresh_token: c.refreshToken } })).body.error).toBe(
      'refresh_token_reused',
    );
    const msB = await within5s(b.url, c.accessToken, 401);
    const msProc = await within5s(proc.url, c.accessToken, 401);
    expect(msB).toBeLessThan(5000);
    expect(msProc).toBeLessThan(5000);
  });

  it('disabling a client on node A holds on node B and on another process within 5 s', async () => {
    const c = await seed(a).client();
    expect(await status(b.url, c.accessToken)).toBe(404);
    expect(await status(proc.url, c.accessToken)).toBe(404);
    expect(
      (
        await call(a.url, `/admin/v1/clients/${c.clientId}`, {
          method: 'PATCH',
          token: a.adminToken,
          body: { enabled: false },
        })
      ).status,
    ).toBe(200);
    expect(await status(a.url, c.accessToken)).toBe(403); // the node that made the change: at once
    await within5s(b.url, c.accessToken, 403);
    await within5s(proc.url, c.accessToken, 403);
  });

  it('a revoked access token stops working on the node that revoked it, and with Redis on every node sharing it', async () => {
    const c = await seed(a).client();
    expect(await status(b.url, c.accessToken)).toBe(404);
    const r = await call(a.url, '/api/v1/auth/revoke', { body: { token: c.accessToken } });
    expect(r.body.revoked).toBe(true);
    expect(await status(a.url, c.accessToken)).toBe(401);
    // Without REDIS_URL each process has its own in-process store (the single-process mode by design).
    if (a.service.infra.state.kind === 'redis') expect(await status(b.url, c.accessToken)).toBe(401);
    else expect(await status(b.url, c.accessToken)).toBe(404);
  });
});
