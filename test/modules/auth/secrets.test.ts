// Nothing secret is stored or logged in clear: a real server process (LOG_LEVEL=info, output captured) goes
// through the whole key/token life cycle, including client mistakes that put the key where it does not
// belong; then its logs and every row of every table are searched for the secrets.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, spawnServer, testSecrets } from '../../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { call } from '../../helpers/http.ts';
import { seed } from '../../helpers/testkit.ts';

let db: TestDatabase;
let proc: ServerProcess;
let dataDir: string;
let adminToken: string;
let output = '';

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'kc-auth-secrets-'));
  const secrets = testSecrets();
  adminToken = secrets.ADMIN_TOKEN;
  proc = await spawnServer({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    DEMO_PRODUCTS: '0',
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...secrets,
  });
  proc.child.stdout!.on('data', (d) => {
    output += d;
  });
  proc.child.stderr!.on('data', (d) => {
    output += d;
  });
});
afterAll(async () => {
  await proc?.stop();
  await db?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('secrets at rest and in logs', () => {
  it('never writes an api_key or refresh token in clear to the logs or the database', async () => {
    const { apiKey, clientId } = await (await seed({ url: proc.url, adminToken }).account()).client();
    const tok = await call(proc.url, '/api/v1/auth/token', { body: { client_id: clientId, api_key: apiKey } });
    expect(tok.status).toBe(200);
    // Client mistakes: the key as a bearer token, in a malformed body, against another client id.
    expect((await call(proc.url, '/api/v1/products/4006381333931', { token: apiKey })).status).toBe(401);
    expect(
      (await call(proc.url, '/api/v1/auth/token', { body: `{"client_id":"${clientId}","api_key":"${apiKey}"` })).status,
    ).toBe(400);
    expect(
      (await call(proc.url, '/api/v1/auth/token', { body: { client_id: 'cl_other', api_key: apiKey } })).status,
    ).toBe(401);
    expect(
      (await call(proc.url, '/api/v1/auth/token', { body: { client_id: apiKey, api_key: clientId } })).status,
    ).toBe(401);
    expect(
      (await call(proc.url, '/api/v1/auth/token', { body: { client_id: clientId, api_key: apiKey, extra: apiKey } }))
        .status,
    ).toBe(400);
    const ref = await call(proc.url, '/api/v1/auth/refresh', { body: { refresh_token: tok.body.refresh_token } });
    expect(ref.status).toBe(200);
    expect(
      (await call(proc.url, '/api/v1/auth/refresh', { body: { refresh_token: tok.body.refresh_token } })).status,
    ).toBe(401);
    const rot = await call(proc.url, `/admin/v1/clients/${clientId}/rotate-key`, { method: 'POST', token: adminToken });
    expect(rot.status).toBe(200);
    await call(proc.url, '/api/v1/auth/revoke', {
      body: { token: ref.body.refresh_token },
      headers: { 'idempotency-key': 'revoke-secrets-test-0001' },
    });
    // Let the child flush its log lines: wait (bounded) for the line of the last request, written when its
    // response finished; the lines before it are then in `output` too.
    for (const t0 = Date.now(); !output.includes('/api/v1/auth/revoke') && Date.now() - t0 < 10_000; )
      await new Promise((r) => setTimeout(r, 50));

    const secrets = {
      apiKey,
      rotatedKey: rot.body.api_key as string,
      refresh1: tok.body.refresh_token as string,
      refresh2: ref.body.refresh_token as string,
    };
    // The capture works: the log has the client's creation and the reuse warning, under the client id.
    expect(output).toContain('api client created');
    expect(output).toContain('refresh token reused');
    expect(output).toContain(clientId);
    for (const [name, s] of Object.entries(secrets)) expect(output.includes(s), `${name} in logs`).toBe(false);

    // Every row of every table as JSON text (a pg_dump of the data, in effect).
    const tables = await db.sql<
      { t: string }[]
    >`select quote_ident(table_name) as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`;
    let dump = '';
    for (const { t } of tables) {
      const rows = await db.sql.unsafe(`select row_to_json(x)::text as j from ${t} x`);
      for (const r of rows) dump += `${r.j}\n`;
    }
    // The dump works: it holds the SHA-256 of the key (bytea as \x hex) and the client row.
    expect(dump).toContain(createHash('sha256').update(apiKey).digest('hex'));
    expect(dump).toContain(clientId);
    for (const [name, s] of Object.entries(secrets)) {
      expect(dump.includes(s), `${name} in database`).toBe(false);
      expect(dump.includes(s.slice(8)), `${name} body in database`).toBe(false);
    }
  });
});
