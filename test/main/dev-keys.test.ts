// Development keys live in DATA_DIR: an access token and a signed image URL issued before a restart still work
// after it, and `npm run admin -- trace` (another process) verifies the URL's signature with the same key.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, spawnServer } from '../helpers/app.ts';
import { cliJson, runNpm } from '../helpers/cli.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { call } from '../helpers/http.ts';
import { picture, seed } from '../helpers/testkit.ts';

let db: TestDatabase | null = null;
let dataDir = '';
let server: ServerProcess | null = null;

afterAll(async () => {
  await server?.stop();
  await db?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('development keys kept in DATA_DIR', () => {
  it('keep tokens and signed URLs valid across a restart, and the CLI traces with the same key', async () => {
    db = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'kc-ops-devkeys-'));
    // No JWT_KEYS / IMAGE_*_KEYS / ADMIN_TOKEN: development mode takes them from DATA_DIR/dev-keys.json.
    const env = { NODE_ENV: 'development', DATABASE_URL: db.url, DATA_DIR: dataDir, DEMO_PRODUCTS: '0' };
    server = await spawnServer(env);
    const keys = JSON.parse(await readFile(path.join(dataDir, 'dev-keys.json'), 'utf8'));
    const adminToken: string = keys.ADMIN_TOKEN;
    const node = { url: server.url, adminToken, sql: db.sql };
    const p = await seed(node).product({ images: { front: await picture(900, 900, 'jpeg') } });
    const client = await seed(node).client({ credits: 10 });
    const read = await call(server.url, `/api/v1/products/${p.barcode}?include=images&variants=front`, {
      token: client.accessToken,
    });
    expect(read.status).toBe(200);
    const signedUrl: string = read.body.images.front;

    await server.stop();
    server = await spawnServer(env);
    const me = await call(server.url, '/api/v1/account', { token: client.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.client.client_id).toBe(client.clientId);
    expect((await call(server.url, '/admin/v1/accounts', { token: adminToken, body: { name: 'x' } })).status).toBe(201);
    const image = await fetch(signedUrl.replace(/^https?:\/\/[^/]+/, server.url));
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/jpeg');

    const trace = cliJson(await runNpm(['admin', '--', 'trace', signedUrl], { ...env, LOG_LEVEL: 'warn' }));
    expect(trace).toMatchObject({ signature: 'valid', client_id: client.clientId, barcode: p.barcode });
  }, 180_000); // two tsx starts and a CLI run: ~15 s quiet, over 60 s at a load of 18
});
