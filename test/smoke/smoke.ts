// The start-up smoke on another Node (README "Node versions"): `npm start`'s entry on the given node binary
// against this machine's PostgreSQL (a fresh database, dropped afterwards) and Redis, with a small demo catalog;
// then an operator mints a client over the admin API, the client gets a token, makes one billed REST read and one
// GraphQL read, and the server must stop cleanly on SIGTERM. Exit 0 when all of it holds, else 1 with the step.
//   node --import tsx test/smoke/smoke.ts <path-to-node>      (test/smoke/node22.sh finds a Node 22)
// SMOKE_WORKERS=2 runs the server with two worker processes (docs/operations.md#worker-processes).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createSql } from '../../src/platform/db/client.ts';
import { testSecrets } from '../helpers/app.ts';
import { call } from '../helpers/http.ts';
import { type NodeProcess, startServerProcess } from '../helpers/server-process.ts';

const node = process.argv[2];
const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redis = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DEMO_PRODUCTS = 20;
const workers = Number(process.env.SMOKE_WORKERS ?? 1);

function check(ok: unknown, what: string, detail?: unknown): void {
  if (!ok) throw new Error(`${what}${detail === undefined ? '' : `: ${JSON.stringify(detail)}`}`);
}

async function main(): Promise<void> {
  if (!node) throw new Error('usage: smoke.ts <path-to-node>');
  const version = execFileSync(node, ['-v']).toString().trim();
  const t0 = Date.now();
  const name = `kc_smoke_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = createSql({ url: base, max: 1 });
  await admin.unsafe(`create database ${name}`);
  const u = new URL(base);
  u.pathname = `/${name}`;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kc-smoke-'));
  const secrets = testSecrets();
  let server: NodeProcess | undefined;
  try {
    server = await startServerProcess({
      node,
      workers,
      readyTimeoutMs: 90_000,
      env: {
        ...secrets,
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        DATABASE_URL: u.toString(),
        REDIS_URL: redis,
        DATA_DIR: dataDir,
        DEMO_PRODUCTS: String(DEMO_PRODUCTS),
      },
    });
    const { url } = server;
    // The demo catalog is seeded after the server listens: wait for it (bounded) before reading a product.
    await server.waitForLog((l) => l.msg === 'demo catalog seeded', 60_000);

    const acct = await call(url, '/admin/v1/accounts', {
      token: secrets.ADMIN_TOKEN,
      body: { name: 'smoke', credits: 10 },
    });
    check(acct.status === 201, 'create account', acct.body);
    const cl = await call(url, `/admin/v1/accounts/${acct.body.account_id}/clients`, {
      token: secrets.ADMIN_TOKEN,
      body: { name: 'smoke client', tier: 'standard' },
    });
    check(cl.status === 201, 'create client', cl.body);
    const tok = await call(url, '/api/v1/auth/token', {
      body: { client_id: cl.body.client_id, api_key: cl.body.api_key },
    });
    check(tok.status === 200 && tok.body.access_token, 'token', tok.body);
    const token = tok.body.access_token as string;

    const list = await call(url, '/api/v1/products?per_page=1', { token });
    check(list.status === 200 && list.body.items?.length === 1, 'free listing', list.body);
    const barcode = list.body.items[0].barcode as string;

    const read = await call(url, `/api/v1/products/${barcode}?include=product_meta`, { token });
    const debited = Number(read.headers.get('x-credits-debited'));
    check(read.status === 200, 'billed REST read', read.body);
    check(debited > 0 && read.body.meta?.credits_debited === debited, 'REST read debit', {
      header: read.headers.get('x-credits-debited'),
      meta: read.body.meta,
    });
    check(read.body.product_meta?.brand, 'REST read product_meta', read.body);

    const gql = await call(url, '/graphql', {
      token,
      body: {
        query: 'query($b: Barcode!){ product(barcode: $b){ productMeta { brand productName } } }',
        variables: { b: barcode },
      },
    });
    check(gql.status === 200 && !gql.body.errors, 'GraphQL read', gql.body);
    check(gql.body.data?.product?.productMeta?.brand === read.body.product_meta.brand, 'GraphQL data', gql.body);
    check(gql.body.extensions?.billing?.creditsDebited > 0, 'GraphQL debit', gql.body.extensions);

    const stopped = await server.stop(30_000);
    check(stopped.code === 0 && stopped.signal === null, 'clean exit on SIGTERM', stopped);
    console.log(
      `smoke on Node ${version} (WORKERS=${workers}): start, billed REST read (${debited} credits), GraphQL read ` +
        `(${gql.body.extensions.billing.creditsDebited} credits), clean stop: ok in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  } catch (e) {
    const tail = server?.stderr().trim().split('\n').slice(-5).join('\n');
    throw new Error(
      `smoke on Node ${version} failed: ${(e as Error).message}${tail ? `\nserver stderr:\n${tail}` : ''}`,
    );
  } finally {
    await server?.stop(10_000);
    await rm(dataDir, { recursive: true, force: true });
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error((e as Error).message);
    process.exit(1);
  },
);
