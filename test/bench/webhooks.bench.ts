// Webhook fan-out benchmark, runnable on its own (not a timed test):
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx test/bench/webhooks.bench.ts
// 10,000 product updates (committed in batches of 500, as a bulk writer does) fanned out to 10 subscriptions,
// each on its own local node:http receiver, delivered by one API process (src/main/main.ts) with its default
// dispatcher settings. Reports deliveries per second and the delay from each update's commit to its receipt
// (p50/p99), checks every webhook-id arrived once per subscription and a sample of signatures, and writes its
// row into test/bench/RESULTS.md between the webhooks markers. Bounded: gives up after BENCH_WEBHOOKS_MAX_SEC
// (default 150 s) of delivery. BENCH_WEBHOOKS_UPDATES / _SUBS change the sizes.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Webhook } from 'standardwebhooks';
import { withCheckDigit } from '../../src/modules/catalog/gtin.ts';
import type { ProductInput } from '../../src/modules/catalog/product.types.ts';
import { upsertProducts } from '../../src/modules/catalog/product-write.repository.ts';
import { createSql } from '../../src/platform/db/client.ts';
import { migrate } from '../../src/platform/db/migrate.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BASE = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const UPDATES = Number(process.env.BENCH_WEBHOOKS_UPDATES ?? 10_000);
const SUBS = Number(process.env.BENCH_WEBHOOKS_SUBS ?? 10);
const BATCH = 500;
const MAX_SEC = Number(process.env.BENCH_WEBHOOKS_MAX_SEC ?? 150);
const log = (m: string) => process.stderr.write(`[webhooks.bench] ${m}\n`);

const dbName = `kc_bench_webhooks_${randomBytes(4).toString('hex')}`;
const admin = createSql({ url: BASE, max: 1 });
await admin.unsafe(`create database ${dbName}`);
const dbUrl = Object.assign(new URL(BASE), { pathname: `/${dbName}` }).toString();
const sql = createSql({ url: dbUrl, max: 4 });
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kc-bench-webhooks-'));
let child: ReturnType<typeof spawn> | null = null;
const servers: http.Server[] = [];

async function cleanup(): Promise<void> {
  if (child && child.exitCode === null) {
    const c = child;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  await sql.end({ timeout: 2 });
  await admin.unsafe(`drop database if exists ${dbName} with (force)`);
  await admin.end();
  rmSync(dataDir, { recursive: true, force: true });
}

const product = (i: number, name: string): ProductInput => ({
  barcode: withCheckDigit(`729${String(i).padStart(9, '0')}`),
  brand: `Brand ${i % 50}`,
  product_name: name,
  product_description: null,
  net_weight: null,
  category: null,
  bracha: null,
  kosher_for_passover: false,
  hechshers: [],
  ingredients: null,
  allergens: [],
  nutrition_facts: null,
  ownership: 'Studio A',
});

try {
  await migrate(sql);
  log(`database ${dbName}: inserting ${UPDATES} products (before any subscription)`);
  for (let i = 0; i < UPDATES; i += BATCH) {
    await sql.begin((tx) =>
      upsertProducts(
        tx,
        Array.from({ length: Math.min(BATCH, UPDATES - i) }, (_, k) => product(i + k, 'v0')),
      ),
    );
  }

  // Receivers: one server per subscription; each records (barcode -> receipt time) and the webhook-ids.
  interface Got {
    at: number;
    id: string;
    raw: string;
    headers: Record<string, string>;
  }
  const got: Map<string, Got>[] = [];
  let duplicates = 0;
  let total = 0;
  const urls: string[] = [];
  for (let s = 0; s < SUBS; s++) {
    const byBarcode = new Map<string, Got>();
    got.push(byBarcode);
    const seen = new Set<string>();
    const server = http.createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const at = Date.now();
        const raw = Buffer.concat(chunks).toString('utf8');
        const id = String(req.headers['webhook-id']);
        const parsed = JSON.parse(raw) as { type: string; data: { challenge?: string } };
        if (parsed.type === 'webhook.verification') {
          // The verification handshake (docs/webhooks.md#verification): echo the challenge.
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ challenge: parsed.data.challenge }));
          return;
        }
        if (seen.has(id)) duplicates++;
        else {
          seen.add(id);
          const body = JSON.parse(raw) as { data: { barcode: string } };
          const headers = {
            'webhook-id': id,
            'webhook-timestamp': String(req.headers['webhook-timestamp']),
            'webhook-signature': String(req.headers['webhook-signature']),
          };
          byBarcode.set(body.data.barcode, { at, id, raw, headers });
          total++;
        }
        res.writeHead(204);
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    servers.push(server);
    urls.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
  }

  // The API process, with its default dispatcher settings.
  const adminToken = `adm_${randomBytes(24).toString('base64url')}`;
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: dbUrl,
      DATA_DIR: dataDir,
      DEMO_PRODUCTS: '0',
      LOG_LEVEL: 'info',
      ADMIN_TOKEN: adminToken,
      WEBHOOKS_ALLOW_LOCAL: '1',
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const apiUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('API did not start')), 60_000);
    createInterface({ input: child?.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      try {
        const j = JSON.parse(line);
        if (j.msg === 'listening') {
          clearTimeout(timer);
          resolve(j.url);
        }
      } catch {
        /* not JSON */
      }
    });
  });
  const call = async (p: string, body: unknown, token = adminToken) => {
    const r = await fetch(apiUrl + p, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const j = await r.json();
    if (r.status >= 300) throw new Error(`${p}: ${r.status} ${JSON.stringify(j)}`);
    return j;
  };
  const acct = await call('/admin/v1/accounts', { name: 'webhooks bench' });
  const cl = await call(`/admin/v1/accounts/${acct.account_id}/clients`, { name: 'bench', tier: 'enterprise' });
  const tok = await fetch(`${apiUrl}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: cl.client_id, api_key: cl.api_key }),
  }).then((r) => r.json());
  const secrets: string[] = [];
  for (const url of urls)
    secrets.push((await call('/api/v1/webhooks', { url, events: ['product.updated'] }, tok.access_token)).secret);

  log(`${UPDATES} updates in batches of ${BATCH} -> ${SUBS} subscriptions (${UPDATES * SUBS} deliveries)`);
  const committedAt = new Map<string, number>();
  const t0 = Date.now();
  for (let i = 0; i < UPDATES; i += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, UPDATES - i) }, (_, k) => product(i + k, 'v1'));
    await sql.begin((tx) => upsertProducts(tx, batch));
    const at = Date.now();
    for (const p of batch) committedAt.set(p.barcode, at);
  }
  const writeMs = Date.now() - t0;
  const expected = UPDATES * SUBS;
  const deadline = Date.now() + MAX_SEC * 1000;
  while (total < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const tEnd = Math.max(...got.flatMap((m) => [...m.values()].map((g) => g.at)));
  const delays = got
    .flatMap((m) => [...m.entries()].map(([bc, g]) => g.at - (committedAt.get(bc) ?? g.at)))
    .sort((a, b) => a - b);
  const pct = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))];
  // A sample of signatures, checked with the standardwebhooks package.
  let badSignatures = 0;
  for (const [s, m] of got.entries()) {
    for (const g of [...m.values()].slice(0, 50)) {
      try {
        new Webhook(secrets[s]).verify(g.raw, g.headers);
      } catch {
        badSignatures++;
      }
    }
  }
  const seconds = (tEnd - t0) / 1000;
  const rate = Math.round(total / seconds);
  const result = {
    updates: UPDATES,
    subscriptions: SUBS,
    delivered: total,
    expected,
    duplicates,
    badSignatures,
    writeMs,
    seconds: Number(seconds.toFixed(1)),
    deliveriesPerSec: rate,
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
    maxMs: delays.at(-1),
  };
  console.log(JSON.stringify(result));

  const cells = [
    new Date().toISOString().slice(0, 10),
    `${UPDATES} × ${SUBS}`,
    `${total}/${expected}`,
    rate,
    pct(0.5),
    pct(0.99),
    delays.at(-1),
    duplicates,
    writeMs,
    `${os.cpus().length} cores, node ${process.version}`,
  ];
  const row = `| ${cells.join(' | ')} |`;
  const header = [
    'date',
    'updates × subscriptions',
    'delivered',
    'deliveries/s',
    'p50 delay ms',
    'p99 delay ms',
    'max ms',
    'duplicates',
    'write ms',
    'machine',
  ];
  const section = [
    '<!-- webhooks.bench.ts -->',
    '',
    '### Webhooks: fan-out of catalog updates (`node --import tsx test/bench/webhooks.bench.ts`)',
    '',
    'One API process (default dispatcher: 64 in flight, LISTEN/NOTIFY), local node:http receivers, updates committed',
    'in batches of 500; delay = receipt − commit of the update.',
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    row,
    '',
    '<!-- /webhooks.bench.ts -->',
  ].join('\n');
  const file = path.join(ROOT, 'test/bench/RESULTS.md');
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const marked = /<!-- webhooks\.bench\.ts -->[\s\S]*<!-- \/webhooks\.bench\.ts -->/;
  writeFileSync(file, marked.test(old) ? old.replace(marked, section) : `${old.trimEnd()}\n\n${section}\n`);
  log(`wrote the row to test/bench/RESULTS.md: ${row}`);
  if (total < expected || duplicates > 0 || badSignatures > 0) process.exitCode = 1;
} finally {
  await cleanup();
}
