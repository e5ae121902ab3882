// `npm run bench`: every hot path under load, each beside its floor measured in the same run.
// Seeds (once) or reuses a 25,000-product catalog in the database `kc_bench`, starts the API in production mode
// as its own process against real PostgreSQL and Redis, drives it with autocannon (wrk for image bytes), and
// prints one markdown table, also written to test/bench/RESULTS.md.
// Env: DATABASE_URL (a server; the bench creates kc_bench on it), REDIS_URL, BENCH_SECONDS (per run, default 10),
// BENCH_CONNECTIONS (default 32), BENCH_ONLY (comma list of scenario names), BENCH_CPU_PROF (profile folder),
// BENCH_SOAK (seconds of an extra sustained run of the billed REST read, reported per 10 s window).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import sharp from 'sharp';
import { prepareCatalog } from './bench-catalog.ts';
import { autocannonRun, wrkRun, type LoadResult } from './bench-load.ts';
import { attack } from './bench-hostile.ts';
import { SignedUrlIssuer } from '../../src/images/signed-url-issuer.ts';
import { GrantRecorder } from '../../src/images/grant-recorder.ts';
import { createLogger } from '../../src/kernel/logger.ts';
import { toGtin14 } from '../../src/catalog/gtin.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DB = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const ONLY = process.env.BENCH_ONLY?.split(',');
/** Set to a folder to write a V8 CPU profile of the API process (open it in Chrome DevTools). */
const PROFILE_DIR = process.env.BENCH_CPU_PROF;
const API_PORT = 39_517;
const FLOOR_PORT = 39_518;
const DATA_DIR = path.join(ROOT, '.bench-data');
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(a: T[]) => a[Math.floor(Math.random() * a.length)];

function startProcess(args: string[], env: Record<string, string>, profile = false): ChildProcess {
  const prof = profile && PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child.unref();
  return child;
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {
      /* not yet */
    }
    await sleep(100);
  }
  throw new Error(`${url} did not come up`);
}

/** Peak RSS of a process since the last reset (VmHWM), in MB; resetting needs Linux's clear_refs. */
function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : 0;
}
function resetPeakRss(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    /* not supported: peak since start */
  }
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const j = await r.json();
  if (r.status >= 300) throw new Error(`${url}: ${r.status} ${JSON.stringify(j)}`);
  return j;
}

// ---------------------------------------------------------------------------------------------------------
const catalog = await prepareCatalog(DB, DATA_DIR, log);
const secrets = {
  ADMIN_TOKEN: `adm_${randomBytes(24).toString('base64url')}`,
  JWT_KEYS: `b1:${randomBytes(32).toString('base64url')}`,
  IMAGE_URL_KEYS: `u1:${randomBytes(32).toString('base64url')}`,
  IMAGE_MARK_KEYS: `m1:${randomBytes(32).toString('base64url')}`,
  WEBHOOK_SECRET_KEYS: `w1:${randomBytes(32).toString('base64url')}`,
};
const api = startProcess(
  ['src/main.ts'],
  {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(API_PORT),
    DATABASE_URL: catalog.url,
    REDIS_URL: REDIS,
    DATA_DIR,
    DEMO_PRODUCTS: '0',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    ...secrets,
  },
  true,
);
const apiUrl = `http://127.0.0.1:${API_PORT}`;
let floor: ChildProcess | null = null;
const cleanup = () => {
  api.kill('SIGTERM');
  floor?.kill('SIGTERM');
};
process.on('exit', cleanup);

try {
  await waitFor(`${apiUrl}/api/v1/health`);
  log('API up; provisioning a bench account and client');
  const admin = { authorization: `Bearer ${secrets.ADMIN_TOKEN}` };
  const acct = await post(`${apiUrl}/admin/v1/accounts`, { name: 'bench', credits: 100_000_000 }, admin);
  const client = await post(
    `${apiUrl}/admin/v1/accounts/${acct.account_id}/clients`,
    { name: 'bench', tier: 'enterprise', limits: { per_minute: 100_000_000, per_day: 1_000_000_000 } },
    admin,
  );
  const tok = await post(`${apiUrl}/api/v1/auth/token`, { client_id: client.client_id, api_key: client.api_key });
  const auth = { authorization: `Bearer ${tok.access_token}` };

  // A ~200 KB studio-like JPEG as the front of one product, for image delivery.
  const noise = Buffer.alloc(1000 * 1000 * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = ((((i * 2654435761) >>> 24) & 0xff) ^ (i % 251)) & 0xff;
  const jpeg = await sharp(noise, { raw: { width: 1000, height: 1000, channels: 3 } })
    .blur(1.6)
    .jpeg({ quality: 80 })
    .toBuffer();
  const imgBarcode = catalog.withFront[0];
  const put = await fetch(`${apiUrl}/admin/v1/products/${imgBarcode}/images/front`, {
    method: 'PUT',
    headers: { ...admin, 'content-type': 'image/jpeg' },
    body: jpeg,
  });
  if (put.status >= 300) throw new Error(`image upload: ${put.status} ${await put.text()}`);
  const workDir = path.join(DATA_DIR, 'work');
  mkdirSync(workDir, { recursive: true });
  const imageFile = path.join(workDir, 'bench.jpg');
  writeFileSync(imageFile, jpeg);

  floor = startProcess(
    ['test/bench/floor-server.ts', String(FLOOR_PORT), catalog.url, imageFile, acct.account_id, client.client_id],
    {},
  );
  const floorUrl = `http://127.0.0.1:${FLOOR_PORT}`;
  await waitFor(`${floorUrl}/nothing`);

  const gql = (query: string, variables: () => unknown) => () => ({
    path: '/graphql',
    body: JSON.stringify({ query, variables: variables() }),
  });
  const many = (n: number) => Array.from({ length: n }, () => pick(catalog.all));
  const PRODUCT_Q =
    'query($b: Barcode!){ product(barcode: $b){ barcode productMeta { brand productName netWeight bracha hechshers { symbol org } } images { front } } }';
  const PRODUCTS_Q =
    'query($bs: [Barcode!]!){ products(barcodes: $bs){ barcode productMeta { brand productName netWeight bracha hechshers { symbol org } } images { front } } }';

  // Image URLs are pre-issued with the server's own key, as the API would issue them, one per request (one-shot).
  const row = await catalog.sql<{ gtin14: string; blob_key: string }[]>`
    select gtin14, blob_key from product_images where gtin14 = ${toGtin14(imgBarcode)} and variant = 'front'`;
  const issuer = new SignedUrlIssuer(
    [{ kid: 'u1', secret: secrets.IMAGE_URL_KEYS.slice(3) }],
    new GrantRecorder(catalog.sql, createLogger('silent'), { flushIntervalMs: 3_600_000, batchRows: 1e9 }),
  );
  const issueImagePaths = (n: number) =>
    Array.from(
      { length: n },
      () =>
        `/api/v1/image/${
          issuer.issueToken({
            clientId: client.client_id,
            accountId: acct.account_id,
            tier: 'enterprise',
            ip: '127.0.0.1',
            requestId: 'req_bench',
            gtin14: row[0].gtin14,
            barcode: imgBarcode,
            variant: 'front',
            size: 'original',
            format: 'original',
            sourceBlobKey: row[0].blob_key,
          }).token
        }`,
    );

  type Scenario = {
    name: string;
    run: () => Promise<LoadResult>;
    floor: () => Promise<LoadResult>;
    /** Names the floor column when it is not the bare-node:http floor (e.g. the scenario's quiet twin). */
    floorName?: string;
  };
  let attackNote = '';
  const ac =
    (
      url: string,
      next: () => { path: string; body?: string },
      method: 'GET' | 'POST' = 'GET',
      headers: Record<string, string> = {},
      connections = CONNS,
    ) =>
    () =>
      autocannonRun({
        url,
        connections,
        duration: SECONDS,
        method,
        headers: { ...headers, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
        next,
      });
  const floorProduct = ac(floorUrl, () => ({ path: `/product/${pick(catalog.all)}` }));
  const scenarios: Scenario[] = [
    {
      name: 'REST GET product (default: 2 scopes + all variants)',
      run: ac(apiUrl, () => ({ path: `/api/v1/products/${pick(catalog.all)}` }), 'GET', auth),
      floor: floorProduct,
    },
    {
      name: 'REST GET product include=product_meta',
      run: ac(apiUrl, () => ({ path: `/api/v1/products/${pick(catalog.all)}?include=product_meta` }), 'GET', auth),
      floor: floorProduct,
    },
    {
      name: 'REST GET product include=images&variants=front',
      run: ac(
        apiUrl,
        () => ({ path: `/api/v1/products/${pick(catalog.withFront)}?include=images&variants=front` }),
        'GET',
        auth,
      ),
      floor: floorProduct,
    },
    {
      name: 'REST bulk-check 500',
      run: ac(
        apiUrl,
        () => ({ path: '/api/v1/products/bulk-check', body: JSON.stringify({ barcodes: many(500) }) }),
        'POST',
        auth,
      ),
      floor: ac(floorUrl, () => ({ path: '/bulk', body: JSON.stringify({ barcodes: many(500) }) }), 'POST'),
    },
    {
      name: 'GraphQL product (productMeta + front)',
      run: ac(
        apiUrl,
        gql(PRODUCT_Q, () => ({ b: pick(catalog.all) })),
        'POST',
        auth,
      ),
      floor: floorProduct,
    },
    {
      name: 'GraphQL products ×100',
      run: ac(
        apiUrl,
        gql(PRODUCTS_Q, () => ({ bs: many(100) })),
        'POST',
        auth,
      ),
      floor: ac(floorUrl, () => ({ path: '/many', body: JSON.stringify({ barcodes: many(100) }) }), 'POST'),
    },
    // The two heavy reads again at low concurrency: the latency of one request when the box is not saturated.
    {
      name: 'REST bulk-check 500 @ 4 connections',
      run: ac(
        apiUrl,
        () => ({ path: '/api/v1/products/bulk-check', body: JSON.stringify({ barcodes: many(500) }) }),
        'POST',
        auth,
        4,
      ),
      floor: ac(floorUrl, () => ({ path: '/bulk', body: JSON.stringify({ barcodes: many(500) }) }), 'POST', {}, 4),
    },
    {
      name: 'GraphQL products ×100 @ 4 connections',
      run: ac(
        apiUrl,
        gql(PRODUCTS_Q, () => ({ bs: many(100) })),
        'POST',
        auth,
        4,
      ),
      floor: ac(floorUrl, () => ({ path: '/many', body: JSON.stringify({ barcodes: many(100) }) }), 'POST', {}, 4),
    },
    // The hostile mix: the same billed GraphQL read while 4 connections loop the worst documents; its
    // "floor" is the quiet twin measured right after, so the ratio is honest throughput under attack.
    {
      name: 'GraphQL product under a hostile mix (4 attacker connections)',
      run: async () => {
        const stop = attack(apiUrl, tok.access_token, pick(catalog.all), 4);
        const r = await ac(
          apiUrl,
          gql(PRODUCT_Q, () => ({ b: pick(catalog.all) })),
          'POST',
          auth,
        )();
        const a = await stop();
        attackNote =
          `hostile mix: ${a.sent} attacker requests, ${a.refused} refused (p99 ${a.refusedP99.toFixed(1)} ms), ` +
          `passing ones p99 ${a.passedP99.toFixed(1)} ms, 5xx ${a.fiveXx}`;
        log(attackNote);
        return r;
      },
      floor: ac(
        apiUrl,
        gql(PRODUCT_Q, () => ({ b: pick(catalog.all) })),
        'POST',
        auth,
      ),
      floorName: 'quiet twin',
    },
    {
      name: 'token exchange',
      run: ac(
        apiUrl,
        () => ({
          path: '/api/v1/auth/token',
          body: JSON.stringify({ client_id: client.client_id, api_key: client.api_key }),
        }),
        'POST',
      ),
      floor: ac(
        floorUrl,
        () => ({ path: '/token', body: JSON.stringify({ client_id: client.client_id, api_key: client.api_key }) }),
        'POST',
      ),
    },
    {
      name: 'image redemption (cached ~200 KB JPEG, one-shot)',
      run: () => wrkRun(apiUrl, issueImagePaths(Math.ceil(SECONDS * 15_000)), CONNS, SECONDS, workDir),
      floor: () =>
        wrkRun(
          floorUrl,
          Array.from({ length: 1000 }, (_, i) => `/img/${i}`),
          CONNS,
          SECONDS,
          workDir,
        ),
    },
  ].filter((s) => !ONLY || ONLY.some((o) => s.name.toLowerCase().includes(o.toLowerCase())));

  // Warm both servers (JIT, connection pools, the image cache) before measuring.
  await ac(apiUrl, () => ({ path: `/api/v1/products/${pick(catalog.all)}` }), 'GET', auth)().catch(() => null);
  await fetch(`${apiUrl}${issueImagePaths(1)[0]}`).then((r) => r.arrayBuffer());

  // Soak: postgres.js is known to slow down when more queries wait than its pool can run. A long
  // run of the billed REST read shows whether throughput holds: requests per 10 s window, first to last.
  const SOAK = Number(process.env.BENCH_SOAK ?? 0);
  let soakLine = '';
  if (SOAK > 0) {
    log(`soak: REST GET product for ${SOAK} s`);
    const r = await autocannonRun({
      url: apiUrl,
      connections: CONNS,
      duration: SOAK,
      headers: auth,
      next: () => ({ path: `/api/v1/products/${pick(catalog.all)}` }),
    });
    const windows: number[] = [];
    for (let i = 0; i < (r.perSecond ?? []).length; i += 10)
      windows.push(
        Math.round(
          (r.perSecond ?? []).slice(i, i + 10).reduce((a, b) => a + b, 0) /
            Math.min(10, (r.perSecond ?? []).length - i),
        ),
      );
    soakLine = `soak ${SOAK} s, REST GET product, req/s per 10 s window: ${windows.join(', ')} (errors ${r.errors})`;
    process.stdout.write(`${soakLine}\n`);
  }

  const rows: string[] = [];
  for (const s of scenarios) {
    resetPeakRss(api.pid!);
    log(`running: ${s.name}`);
    const r = await s.run();
    const rss = peakRssMb(api.pid!);
    const f = await s.floor();
    const p99Ratio = s.floorName ? `, p99 ${(r.p99 / f.p99).toFixed(2)}×` : '';
    rows.push(
      `| ${s.name} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.errors} | ${rss} | ${f.rps.toFixed(0)}${s.floorName ? ` (${s.floorName})` : ''} | ${f.p50.toFixed(1)} | ${f.p99.toFixed(1)} | ${(r.rps / f.rps).toFixed(2)}×${p99Ratio} |`,
    );
    log(rows[rows.length - 1]);
  }
  const table = [
    `Benchmark — ${new Date().toISOString()} — ${CONNS} connections unless named, ${SECONDS} s per run, ${catalog.all.length} products, Redis + PostgreSQL on this machine (${process.arch}, node ${process.version})`,
    '',
    '| scenario | req/s | p50 ms | p99 ms | errors | peak RSS MB | floor req/s | floor p50 | floor p99 | ratio |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...(soakLine ? [soakLine, ''] : []),
    ...(attackNote ? [attackNote, ''] : []),
  ].join('\n');
  process.stdout.write(`\n${table}\n`);
  // Newest run first; earlier runs stay below it (they are only comparable within themselves).
  const resultsFile = path.join(ROOT, 'test/bench/RESULTS.md');
  const previous = (() => {
    try {
      return readFileSync(resultsFile, 'utf8');
    } catch {
      return '';
    }
  })();
  const cut = previous.indexOf('\n## ');
  const intro = cut >= 0 ? previous.slice(0, cut).trimEnd() : '# Benchmark results';
  const older = cut >= 0 ? previous.slice(cut + 1) : '';
  const section = `## ${new Date().toISOString().slice(0, 10)}: ${ONLY ? `partial run (${ONLY.join(', ')})` : 'every scenario'}`;
  writeFileSync(resultsFile, `${intro}\n\n${section}\n\n${table}\n${older ? `\n${older}` : ''}`);
} finally {
  cleanup();
  await catalog.sql.end({ timeout: 1 });
}
