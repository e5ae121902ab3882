// `npm run bench`: every hot path under load, each beside its floors and peers measured in the same run.
// Resets kc_bench to a fixed state (a copy of a seeded template, bench-catalog.ts), builds dist/ when stale, and
// starts everything on Node 22 (bench-node.ts) the way its users run it, as plain JavaScript on plain `node`: the
// API from dist/ in production mode against real PostgreSQL and Redis, the floors (floor-server.mjs: database
// read, memory read, billed), the PostGraphile peer (postgraphile-peer.mjs) and nginx (bench-peers.ts); beside
// them the same API from src/ through tsx ("before the build"), for its memory. Warms every cache; then measures
// in interleaved rounds (each scenario and its floors/peers back to back, the order rotated each round) and
// reports medians, then a soak whose pool queues (bench-soak.ts). Prints one markdown report and prepends it to
// test/bench/RESULTS.md. `npm run bench -- --quick` (or BENCH_QUICK=1), for development: one round of 2 s per
// subject, no soak, no WORKERS=2 group (a few minutes; its numbers are marked as quick).
// Env: DATABASE_URL (a server; the bench creates kc_bench_template and kc_bench on it), REDIS_URL,
// BENCH_SECONDS (per measurement, default 5), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 32),
// BENCH_ONLY (comma list: a group runs when its name or any of its scenario names contains one),
// BENCH_HEAP_GROWING_PERCENT (the API's HEAP_GROWING_PERCENT), BENCH_SOAK (seconds, default 120; 0 skips it), BENCH_SOAK_POOL (the soak API's pool, default 2),
// BENCH_SOAK_CONNECTIONS (default 64), BENCH_CPU_PROF (folder for a V8 profile of the API),
// BENCH_LOG_LEVEL (the API's, default warn), BENCH_NODE (a Node 22 binary to use), BENCH_API_NODE_FLAGS (extra Node
// flags for the API processes, space-separated), BENCH_INSTANCE and BENCH_DATA_DIR (below). About 10 minutes with the defaults.
import { type ChildProcess, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toGtin14 } from '../../src/modules/catalog/gtin.ts';
import { testSecrets } from '../helpers/secrets.ts';
import { prepareCatalog } from './bench-catalog.ts';
import { attack } from './bench-hostile.ts';
import { uploadBenchImage } from './bench-image.ts';
import { autocannonRun, type LoadResult, wrkRun } from './bench-load.ts';
import { benchNode } from './bench-node.ts';
import { NGINX, PEER_QUERY, PEER_SCHEMA_SQL, type Peer, startNginx, startPostgraphile } from './bench-peers.ts';
import { cpuMs, log, peakRssMb, post, ROOT, resetPeakRss, rssMb, startNode, waitFor } from './bench-proc.ts';
import {
  type Comparison,
  machine,
  median,
  prependResults,
  ratio,
  type Sample,
  type SubjectSummary,
  TABLE_HEAD,
  type Target,
  tableRows,
  targetLines,
} from './bench-report.ts';
import { type SoakResult, soak } from './bench-soak.ts';

const DB = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Development mode: a few minutes instead of ten; the numbers say so. */
const QUICK = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 2 : 5));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 1 : 3));
const CONNS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const ONLY = process.env.BENCH_ONLY?.split(',').map((s) => s.trim().toLowerCase());
/** The 'workers 1 vs 2' group needs a second API (WORKERS=2): started only when the group runs. */
const WORKERS_GROUP = ONLY ? ONLY.some((o) => 'workers 1 vs 2'.includes(o) || o === 'workers') : !QUICK;
const SOAK = Number(process.env.BENCH_SOAK ?? (QUICK ? 0 : 120));
const SOAK_CONNECTIONS = Number(process.env.BENCH_SOAK_CONNECTIONS ?? 64);
/** Small enough that the pool queues at the ~3 transactions per soak request (bench-soak.ts). */
const SOAK_POOL = Number(process.env.BENCH_SOAK_POOL ?? 2);
/** Set to a folder to write a V8 CPU profile of the API process (open it in Chrome DevTools). */
const PROFILE_DIR = process.env.BENCH_CPU_PROF;
/**
 * The memory target: the API's peak RSS from dist/ over PostGraphile's under the GraphQL product load, both with
 * the same history (started fresh, only that load): the dist/ twin. The main API's peak is shown beside it; it
 * also ingested an image and served every other scenario before, which PostGraphile never does.
 */
const RSS_TARGET = 1.2;
/**
 * BENCH_INSTANCE=N (default 0) lets runs from several checkouts share this machine without meeting: ports move by
 * 100·N, the per-run database is kc_bench_N and the servers use Redis database N. Their numbers still share the
 * CPU: only a run alone on a quiet machine goes into a report worth keeping.
 */
const INSTANCE = Number(process.env.BENCH_INSTANCE ?? 0);
if (!Number.isInteger(INSTANCE) || INSTANCE < 0 || INSTANCE > 15) throw new Error('BENCH_INSTANCE is 0..15');
const at = (port: number) => port + 100 * INSTANCE;
// Below the ephemeral range (32768-60999 here): a client socket's local port can otherwise hold one of them.
// biome-ignore format: one line
const PORTS = { api: at(28_517), floor: at(28_518), postgraphile: at(28_519), nginx: at(28_520), soakApi: at(28_521), api2: at(28_522), memFloor: at(28_523), apiSrc: at(28_524), apiTwin: at(28_525) };
/** The seeded template's blobs; BENCH_DATA_DIR lets another checkout use the same ones (the template is shared). */
const DATA_DIR = process.env.BENCH_DATA_DIR ?? path.join(ROOT, '.bench-data');
/** wrk measures the image bytes (autocannon cannot keep up with 200 KB bodies); without it those rows say so. */
const WRK = spawnSync('wrk', ['--version']).error === undefined;
const pick = <T>(a: T[]) => a[Math.floor(Math.random() * a.length)];
const started = Date.now();
const host = machine();
const loadBefore = host.load();

// Leftovers of earlier versions of this bench (path lists of ~100 MB) are removed; this one writes to a temp dir.
rmSync(path.join(DATA_DIR, 'work'), { recursive: true, force: true });
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kc-bench-'));

const secrets = testSecrets();

// What production runs is the build: refresh dist/ when src/ is newer (the floors import it too).
execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
const NODE = benchNode();
log(`servers on Node ${NODE.version} (${NODE.bin})`);
/** The "runs on" column of each row. */
const ON = { dist: `node ${NODE.version}, dist/`, src: `node ${NODE.version} + tsx, src/`, js: `node ${NODE.version}` };

interface Api {
  url: string;
  child: ChildProcess;
}
/**
 * The API as production runs it (`from: 'dist'`: the build, plain node, no TypeScript loader), or from src/
 * through tsx (`'src'`, "before the build", for its memory), in production mode, as its own process. `env` is
 * added last: the soak passes a small DATABASE_POOL_SIZE, the 'workers 1 vs 2' group WORKERS=2.
 */
async function startApi(
  port: number,
  dbUrl: string,
  env: Record<string, string> = {},
  from: 'dist' | 'src' = 'dist',
): Promise<Api> {
  const prof = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
  prof.push(...(process.env.BENCH_API_NODE_FLAGS?.split(' ').filter(Boolean) ?? []));
  const child = startNode(
    NODE.bin,
    [from === 'dist' ? 'dist/main/main.js' : 'src/main/main.ts'],
    {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: dbUrl,
      REDIS_URL: INSTANCE ? `${REDIS.replace(/\/\d*$/, '')}/${INSTANCE}` : REDIS,
      DATA_DIR,
      DEMO_PRODUCTS: '0',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      // The API's heap growth factor (docs/operations.md#memory), to compare memory against CPU.
      ...(process.env.BENCH_HEAP_GROWING_PERCENT
        ? { HEAP_GROWING_PERCENT: process.env.BENCH_HEAP_GROWING_PERCENT }
        : {}),
      ...secrets,
      ...env,
    },
    prof,
    from === 'src',
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/api/v1/health`, undefined, child);
  return { url, child };
}

/** One thing measured: an API scenario, a floor or a peer, with the process whose cost is read. */
interface Subject {
  key: string;
  label: string;
  /** How ratios name it. */
  short?: string;
  kind: 'api' | 'floor' | 'peer';
  runsOn: string;
  pid: () => number;
  run: (seconds: number) => Promise<LoadResult>;
  vs?: Comparison[];
  missing?: string;
}
interface Group {
  name: string;
  subjects: Subject[];
}

async function measure(s: Subject, seconds: number): Promise<Sample> {
  const pid = s.pid();
  resetPeakRss(pid);
  const cpu0 = cpuMs(pid);
  const t0 = performance.now();
  const r = await s.run(seconds);
  const wall = performance.now() - t0;
  const cpu = cpuMs(pid) - cpu0;
  return {
    ...r,
    peakRssMb: peakRssMb(pid),
    cpuPct: (cpu / wall) * 100,
    cpuMsPerReq: cpu / Math.max(1, r.requests),
  };
}

// ---------------------------------------------------------------------------------------------------------
const catalog = await prepareCatalog(
  DB,
  DATA_DIR,
  log,
  PEER_SCHEMA_SQL,
  INSTANCE ? `kc_bench_${INSTANCE}` : 'kc_bench',
);
let api: Api | null = null;
/** The same API with WORKERS=2 (the 'workers 1 vs 2' group), beside the WORKERS=1 one. */
let api2: Api | null = null;
/**
 * Before and after the build with the same history: the API from src/ through tsx, and a twin from dist/, each
 * started fresh, warmed the same way and given only the GraphQL product load. The main API's own RSS also holds
 * what every other scenario and the image upload (sharp) left behind.
 */
let apiSrc: Api | null = null;
let apiTwin: Api | null = null;
let floor: ChildProcess | null = null;
let memFloor: ChildProcess | null = null;
const peers: Peer[] = [];
const cleanup = () => {
  api?.child.kill('SIGTERM');
  api2?.child.kill('SIGTERM');
  apiSrc?.child.kill('SIGTERM');
  apiTwin?.child.kill('SIGTERM');
  floor?.kill('SIGTERM');
  memFloor?.kill('SIGTERM');
  for (const p of peers) p.stop();
  rmSync(tmp, { recursive: true, force: true });
};
process.on('exit', cleanup);
// Ctrl-C or a kill mid-run: the children (API, floor, peers) and the temp files go too.
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));

try {
  api = await startApi(PORTS.api, catalog.url);
  const apiUrl = api.url;
  const apiPid = () => api!.child.pid!;
  const rssAtStart = rssMb(apiPid());
  apiSrc = await startApi(PORTS.apiSrc, catalog.url, {}, 'src');
  const apiSrcPid = () => apiSrc!.child.pid!;
  const rssSrcAtStart = rssMb(apiSrcPid());
  apiTwin = await startApi(PORTS.apiTwin, catalog.url);
  const apiTwinPid = () => apiTwin!.child.pid!;
  const rssTwinAtStart = rssMb(apiTwinPid());
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
  if (WORKERS_GROUP) {
    api2 = await startApi(PORTS.api2, catalog.url, { WORKERS: '2' });
    // Both workers' catalog caches: bulk-checks on several connections at once (the cluster spreads connections).
    for (let i = 0; i < catalog.all.length; i += 2000)
      await Promise.all(
        [0, 1, 2, 3].map((k) =>
          post(
            `${api2!.url}/api/v1/products/bulk-check`,
            { barcodes: catalog.all.slice(i + k * 500, i + (k + 1) * 500) },
            auth,
          ).catch(() => undefined),
        ),
      );
  }

  // A ~200 KB studio-like JPEG as the front of one product, for image delivery; one-shot URLs pre-issued for it.
  const benchImage = await uploadBenchImage({
    apiUrl,
    adminToken: secrets.ADMIN_TOKEN,
    sql: catalog.sql,
    barcode: catalog.withFront[0],
    urlKey: secrets.IMAGE_URL_KEYS,
    clientId: client.client_id,
    accountId: acct.account_id,
    requestId: 'req_bench',
  });
  const issueImagePaths = (n: number) => Array.from({ length: n }, () => benchImage.path());
  // The bytes the API actually serves for that URL (this redemption also fills its image cache): the floor and
  // nginx serve exactly these.
  const served = await fetch(`${apiUrl}${issueImagePaths(1)[0]}`);
  if (served.status !== 200) throw new Error(`image redemption: ${served.status}`);
  const image = Buffer.from(await served.arrayBuffer());
  const imageFile = path.join(tmp, 'bench.jpg');
  writeFileSync(imageFile, image);

  const floorArgs = [catalog.url, imageFile, acct.account_id, client.client_id];
  floor = startNode(NODE.bin, ['test/bench/floor-server.mjs', String(PORTS.floor), ...floorArgs], {});
  memFloor = startNode(NODE.bin, ['test/bench/floor-server.mjs', String(PORTS.memFloor), ...floorArgs, 'memory'], {});
  const floorUrl = `http://127.0.0.1:${PORTS.floor}`;
  const memFloorUrl = `http://127.0.0.1:${PORTS.memFloor}`;
  await waitFor(`${floorUrl}/nothing`, undefined, floor);
  await waitFor(`${memFloorUrl}/nothing`, undefined, memFloor);
  const floorPid = () => floor!.pid!;
  const postgraphile = await startPostgraphile(NODE.bin, PORTS.postgraphile, catalog.url);
  peers.push(postgraphile);
  const nginx = await startNginx(PORTS.nginx, image, path.join(tmp, 'nginx'));
  if (nginx) peers.push(nginx);
  log(`floors and peers up (PostGraphile${nginx ? ', nginx' : `; ${NGINX} not installed`})`);

  // --- what is measured -------------------------------------------------------------------------------
  const ac =
    (
      url: string,
      next: () => { path: string; body?: string },
      method: 'GET' | 'POST' = 'GET',
      headers: Record<string, string> = {},
      connections = CONNS,
    ) =>
    (duration: number) =>
      autocannonRun({
        url,
        connections,
        duration,
        method,
        headers: { ...headers, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
        next,
      });
  const gql = (query: string, variables: () => unknown) => () => ({
    path: '/graphql',
    body: JSON.stringify({ query, variables: variables() }),
  });
  const many = (n: number) => Array.from({ length: n }, () => pick(catalog.all));
  const PRODUCT_Q =
    'query($b: Barcode!){ product(barcode: $b){ barcode productMeta { brand productName netWeight bracha hechshers { symbol org } } images { front } } }';
  const PRODUCTS_Q =
    'query($bs: [Barcode!]!){ products(barcodes: $bs){ barcode productMeta { brand productName netWeight bracha hechshers { symbol org } } images { front } } }';
  const floorSubject = (
    key: string,
    label: string,
    run: Subject['run'],
    short = 'read floor',
    pid = floorPid,
  ): Subject => ({ key, label, short, kind: 'floor', runsOn: ON.js, pid, run });
  const apiSubject = (key: string, label: string, run: Subject['run'], vs: Comparison[]): Subject => ({
    key,
    label,
    kind: 'api',
    runsOn: ON.dist,
    pid: apiPid,
    run,
    vs,
  });
  const bothFloors = (suffix: string, p50 = false): Comparison[] => [
    { ref: `read${suffix}`, p50 },
    { ref: `billed${suffix}`, p50 },
  ];
  /** The single-product reads: the database floors and the memory floor (what a cached read costs at least). */
  const productFloors: Comparison[] = [...bothFloors(''), { ref: 'mem' }];
  const manyFloor = (kind: 'read' | 'billed', route: 'many' | 'bulk', n: number, conns = CONNS) =>
    ac(floorUrl, () => ({ path: `/${kind}/${route}`, body: JSON.stringify({ barcodes: many(n) }) }), 'POST', {}, conns);
  let attackNote = '';

  const groups: Group[] = [
    {
      name: 'single product',
      subjects: [
        floorSubject(
          'read',
          'read floor, database (node:http + productsByGtin per request, unbilled)',
          ac(floorUrl, () => ({ path: `/read/product/${pick(catalog.all)}` })),
          'read floor (database)',
        ),
        floorSubject(
          'mem',
          'read floor, memory (node:http + a Map of every product, unbilled)',
          ac(memFloorUrl, () => ({ path: `/read/product/${pick(catalog.all)}` })),
          'memory floor',
          () => memFloor!.pid!,
        ),
        floorSubject(
          'billed',
          'billed floor (the same + one-statement debit, not batched)',
          ac(floorUrl, () => ({ path: `/billed/product/${pick(catalog.all)}` })),
          'billed floor',
        ),
        {
          key: 'postgraphile',
          label: 'PostGraphile 5.1.5 amber, unbilled, $gtin',
          short: 'PostGraphile',
          kind: 'peer' as const,
          runsOn: ON.js,
          pid: () => postgraphile.pid,
          run: ac(
            postgraphile.url,
            gql(PEER_QUERY, () => ({ gtin: toGtin14(pick(catalog.all)) })),
            'POST',
          ),
        },
        apiSubject(
          'rest-default',
          'REST GET product (default: 2 scopes + all variants)',
          ac(apiUrl, () => ({ path: `/api/v1/products/${pick(catalog.all)}` }), 'GET', auth),
          productFloors,
        ),
        apiSubject(
          'rest-meta',
          'REST GET product include=product_meta',
          ac(apiUrl, () => ({ path: `/api/v1/products/${pick(catalog.all)}?include=product_meta` }), 'GET', auth),
          productFloors,
        ),
        apiSubject(
          'rest-images',
          'REST GET product include=images&variants=front',
          ac(
            apiUrl,
            () => ({ path: `/api/v1/products/${pick(catalog.withFront)}?include=images&variants=front` }),
            'GET',
            auth,
          ),
          productFloors,
        ),
        apiSubject(
          'gql-product',
          'GraphQL product (productMeta + front)',
          ac(
            apiUrl,
            gql(PRODUCT_Q, () => ({ b: pick(catalog.all) })),
            'POST',
            auth,
          ),
          [{ ref: 'postgraphile' }, ...productFloors],
        ),
        // The same read from twin APIs that serve nothing else: from src/ through tsx (before the build) and from
        // dist/ (after); what the build saves, RSS above all.
        {
          ...apiSubject(
            'gql-twin',
            'GraphQL product, twin API from dist/ (after the build; only this load)',
            ac(
              apiTwin.url,
              gql(PRODUCT_Q, () => ({ b: pick(catalog.all) })),
              'POST',
              auth,
            ),
            [{ ref: 'postgraphile' }],
          ),
          short: 'dist/ twin',
          pid: apiTwinPid,
        },
        {
          ...apiSubject(
            'gql-src',
            'GraphQL product, twin API from src/ through tsx (before the build; only this load)',
            ac(
              apiSrc.url,
              gql(PRODUCT_Q, () => ({ b: pick(catalog.all) })),
              'POST',
              auth,
            ),
            [{ ref: 'postgraphile' }, { ref: 'gql-twin' }],
          ),
          runsOn: ON.src,
          pid: apiSrcPid,
        },
        // The same billed GraphQL read while 4 connections loop the worst documents (bench-hostile.ts); its
        // reference is the quiet GraphQL product row of the same round.
        apiSubject(
          'hostile',
          'GraphQL product under a hostile mix (4 attacker connections)',
          async (seconds) => {
            const stop = attack(apiUrl, tok.access_token, pick(catalog.all), 4);
            const r = await ac(
              apiUrl,
              gql(PRODUCT_Q, () => ({ b: pick(catalog.all) })),
              'POST',
              auth,
            )(seconds);
            const a = await stop();
            attackNote =
              `hostile mix (last round): ${a.sent} attacker requests, ${a.refused} refused (p99 ${a.refusedP99.toFixed(1)} ms), ` +
              `passing ones p99 ${a.passedP99.toFixed(1)} ms, 5xx ${a.fiveXx}`;
            return r;
          },
          [{ ref: 'gql-product' }],
        ),
      ],
    },
    {
      name: 'bulk-check 500',
      subjects: [
        floorSubject('read-bulk', 'read floor (500 barcodes, one lookup)', manyFloor('read', 'bulk', 500)),
        floorSubject(
          'billed-bulk',
          'billed floor (the same + one debit)',
          manyFloor('billed', 'bulk', 500),
          'billed floor',
        ),
        apiSubject(
          'bulk',
          'REST bulk-check 500',
          ac(
            apiUrl,
            () => ({ path: '/api/v1/products/bulk-check', body: JSON.stringify({ barcodes: many(500) }) }),
            'POST',
            auth,
          ),
          bothFloors('-bulk'),
        ),
      ],
    },
    {
      name: 'products ×100',
      subjects: [
        floorSubject('read-many', 'GraphQL read floor (the same SQL for 100 barcodes)', manyFloor('read', 'many', 100)),
        floorSubject(
          'billed-many',
          'billed floor (the same + one debit)',
          manyFloor('billed', 'many', 100),
          'billed floor',
        ),
        apiSubject(
          'gql-many',
          'GraphQL products ×100',
          ac(
            apiUrl,
            gql(PRODUCTS_Q, () => ({ bs: many(100) })),
            'POST',
            auth,
          ),
          bothFloors('-many'),
        ),
      ],
    },
    // The two heavy reads again at low concurrency: the latency of one request when the box is not saturated.
    {
      name: '@ 4 connections',
      subjects: [
        floorSubject('read-bulk4', 'read floor @ 4 (500 barcodes)', manyFloor('read', 'bulk', 500, 4)),
        apiSubject(
          'bulk4',
          'REST bulk-check 500 @ 4 connections',
          ac(
            apiUrl,
            () => ({ path: '/api/v1/products/bulk-check', body: JSON.stringify({ barcodes: many(500) }) }),
            'POST',
            auth,
            4,
          ),
          [{ ref: 'read-bulk4', p50: true }],
        ),
        floorSubject('read-many4', 'GraphQL read floor @ 4 (100 barcodes)', manyFloor('read', 'many', 100, 4)),
        apiSubject(
          'gql-many4',
          'GraphQL products ×100 @ 4 connections',
          ac(
            apiUrl,
            gql(PRODUCTS_Q, () => ({ bs: many(100) })),
            'POST',
            auth,
            4,
          ),
          [{ ref: 'read-many4', p50: true }],
        ),
      ],
    },
    {
      name: 'token exchange',
      subjects: [
        floorSubject(
          'token-floor',
          'floor (key check, refresh-token insert, signing)',
          ac(
            floorUrl,
            () => ({
              path: '/token',
              body: JSON.stringify({ client_id: client.client_id, api_key: client.api_key }),
            }),
            'POST',
          ),
          'token floor',
        ),
        apiSubject(
          'token',
          'token exchange',
          ac(
            apiUrl,
            () => ({
              path: '/api/v1/auth/token',
              body: JSON.stringify({ client_id: client.client_id, api_key: client.api_key }),
            }),
            'POST',
          ),
          [{ ref: 'token-floor' }],
        ),
      ],
    },
    {
      name: 'image bytes',
      subjects: [
        {
          key: 'nginx',
          label: `nginx 1.22 (sendfile, the same ${Math.round(image.length / 1024)} KB JPEG, wrk)`,
          short: 'nginx',
          kind: 'peer' as const,
          runsOn: 'nginx',
          pid: () => nginx?.pid ?? 0,
          missing: !WRK ? 'wrk not installed' : nginx ? undefined : 'nginx not installed',
          run: (seconds: number) =>
            wrkRun(
              nginx!.url,
              Array.from({ length: 1000 }, (_, i) => `/img/${i}.jpg`),
              CONNS,
              seconds,
              tmp,
            ),
        },
        {
          ...floorSubject(
            'img-floor',
            'node:http floor (cached Buffer, wrk)',
            (seconds) =>
              wrkRun(
                floorUrl,
                Array.from({ length: 1000 }, (_, i) => `/img/${i}`),
                CONNS,
                seconds,
                tmp,
              ),
            'node:http floor',
          ),
          missing: WRK ? undefined : 'wrk not installed',
        },
        {
          ...apiSubject(
            'image',
            'image redemption (cached JPEG, one-shot, wrk)',
            (seconds) => wrkRun(apiUrl, issueImagePaths(Math.ceil(seconds * 12_000)), CONNS, seconds, tmp),
            [{ ref: 'nginx' }, { ref: 'img-floor' }],
          ),
          missing: WRK ? undefined : 'wrk not installed',
        },
      ],
    },
    // docs/scaling.md: the same billed reads with WORKERS=1 and WORKERS=2 (node:cluster) side by side. The
    // second API runs beside the first on its own port; each row's CPU is its whole process tree.
    ...(WORKERS_GROUP
      ? [
          {
            name: 'workers 1 vs 2',
            subjects: [
              apiSubject(
                'w1-rest',
                'REST include=product_meta, WORKERS=1',
                ac(apiUrl, () => ({ path: `/api/v1/products/${pick(catalog.all)}?include=product_meta` }), 'GET', auth),
                [],
              ),
              {
                ...apiSubject(
                  'w2-rest',
                  'REST include=product_meta, WORKERS=2',
                  ac(
                    api2!.url,
                    () => ({ path: `/api/v1/products/${pick(catalog.all)}?include=product_meta` }),
                    'GET',
                    auth,
                  ),
                  [{ ref: 'w1-rest' }],
                ),
                runsOn: `${ON.dist}, WORKERS=2`,
                pid: () => api2!.child.pid!,
              },
              apiSubject(
                'w1-gql',
                'GraphQL product (productMeta + front), WORKERS=1',
                ac(
                  apiUrl,
                  gql(PRODUCT_Q, () => ({ b: pick(catalog.all) })),
                  'POST',
                  auth,
                ),
                [],
              ),
              {
                ...apiSubject(
                  'w2-gql',
                  'GraphQL product (productMeta + front), WORKERS=2',
                  ac(
                    api2!.url,
                    gql(PRODUCT_Q, () => ({ b: pick(catalog.all) })),
                    'POST',
                    auth,
                  ),
                  [{ ref: 'w1-gql' }],
                ),
                runsOn: `${ON.dist}, WORKERS=2`,
                pid: () => api2!.child.pid!,
              },
            ],
          },
        ]
      : []),
  ].filter(
    (g) =>
      !ONLY ||
      ONLY.some((o) => g.name.toLowerCase().includes(o) || g.subjects.some((s) => s.label.toLowerCase().includes(o))),
  );

  // --- warm-up: every product through the API's catalog cache (and PostgreSQL's buffers), JIT on every path --
  log('warm-up: one pass over all barcodes, then 1 s of every subject');
  for (const url of [apiUrl, apiSrc.url, apiTwin.url])
    for (let i = 0; i < catalog.all.length; i += 500) {
      const r = await fetch(`${url}/api/v1/products/bulk-check`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ barcodes: catalog.all.slice(i, i + 500) }),
      });
      if (r.status !== 200) throw new Error(`warm-up bulk-check: ${r.status} ${await r.text()}`);
    }
  const rssWarm = rssMb(apiPid());
  const rssSrcWarm = rssMb(apiSrcPid());
  const rssTwinWarm = rssMb(apiTwinPid());
  for (const g of groups) for (const s of g.subjects) if (!s.missing) await s.run(1);

  // --- interleaved rounds -------------------------------------------------------------------------------
  const samples = new Map<string, Sample[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const g of groups) {
      // Rotate the order each round, so no subject always runs first (or right after the heaviest one).
      const order = g.subjects.map((_, i) => g.subjects[(i + round) % g.subjects.length]);
      for (const s of order) {
        if (s.missing) continue;
        const m = await measure(s, SECONDS);
        samples.set(s.key, [...(samples.get(s.key) ?? []), m]);
        log(
          `round ${round + 1}/${ROUNDS} ${s.label}: ${m.rps.toFixed(0)} req/s, p50 ${m.p50} ms, ` +
            `${m.cpuMsPerReq.toFixed(2)} CPU ms/req, errors ${m.errors}`,
        );
      }
    }
  }
  // The hostile row's reference must come from the same round: keep both in the single-product group's order.
  const summaries: SubjectSummary[] = groups.flatMap((g) =>
    g.subjects.map((s) => ({
      key: s.key,
      label: s.label,
      short: s.short ?? (s.key === 'gql-product' ? 'quiet twin' : undefined),
      kind: s.kind,
      runsOn: s.runsOn,
      missing: s.missing,
      samples: samples.get(s.key) ?? [],
      vs: s.vs ?? [],
    })),
  );
  const byKey = new Map(summaries.map((s) => [s.key, s]));
  const loadAfterRounds = host.load();

  // --- soak ---------------------------------------------------------------------------------------------
  let soakResult: SoakResult | null = null;
  if (SOAK > 0 && (!ONLY || ONLY.includes('soak'))) {
    api.child.kill('SIGTERM');
    const soakApi = await startApi(PORTS.soakApi, catalog.url, { DATABASE_POOL_SIZE: String(SOAK_POOL) });
    api = soakApi;
    for (let i = 0; i < catalog.all.length; i += 500)
      await post(`${soakApi.url}/api/v1/products/bulk-check`, { barcodes: catalog.all.slice(i, i + 500) }, auth);
    log(`soak: ${SOAK} s, ${SOAK_CONNECTIONS} connections, pool ${SOAK_POOL}`);
    soakResult = await soak({
      apiUrl: soakApi.url,
      pid: soakApi.child.pid!,
      sql: catalog.sql,
      seconds: SOAK,
      warmupSeconds: 10,
      connections: SOAK_CONNECTIONS,
      poolSize: SOAK_POOL,
      headers: auth,
      barcodes: catalog.all,
    });
  }

  // --- report -------------------------------------------------------------------------------------------
  const targets = evaluateTargets(byKey, soakResult);
  const peak = (k: string) => {
    const xs = byKey.get(k)?.samples.map((x) => x.peakRssMb) ?? [];
    return xs.length ? `${Math.max(...xs)} MB` : 'not measured';
  };
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  const report = [
    `Benchmark${QUICK ? ' (quick mode: development numbers)' : ''} — ${new Date().toISOString()} — ${host.line}; ` +
      `servers (API, floors, PostGraphile) on Node ${NODE.version} as plain JavaScript (the API from dist/). Load average (1/5/15 min) before ${loadBefore}, ` +
      `after the rounds ${loadAfterRounds}, at the end ${host.load()}. ${catalog.resetNote}; caches warmed ` +
      `(every barcode once through the API, 1 s of every subject) before measuring. ${ROUNDS} interleaved rounds of ` +
      `${SECONDS} s per subject, ${CONNS} connections unless named, medians; ratios are medians of per-round ` +
      `ratios. Load generator (autocannon; wrk for image bytes) on the same machine. Whole run ${minutes} min.`,
    '',
    ...TABLE_HEAD,
    ...tableRows(summaries, byKey),
    '',
    ...(attackNote ? [attackNote, ''] : []),
    `API RSS before and after the build, twins with the same history (started fresh, every product read once, ` +
      `then only the GraphQL product load): from src/ through tsx idle ${rssSrcAtStart} MB after start, ` +
      `${rssSrcWarm} MB with the catalog cache full, peak ${peak('gql-src')}; from dist/ on plain Node idle ` +
      `${rssTwinAtStart} MB, ${rssTwinWarm} MB, peak ${peak('gql-twin')}. The main API (dist/, every scenario, the ` +
      `image upload): idle ${rssAtStart} MB, ${rssWarm} MB, peak ${peak('gql-product')} under GraphQL product. ` +
      `PostGraphile: peak ${peak('postgraphile')} in the same run, ${rssMb(postgraphile.pid)} MB at the end of the rounds.`,
    '',
    '### Targets',
    '',
    ...targetLines(targets),
    '',
    ...(soakResult ? [soakResult.text, ''] : []),
  ].join('\n');
  process.stdout.write(`\n${report}\n`);
  prependResults(
    `${new Date().toISOString().slice(0, 10)}: ${ONLY ? `partial run (${ONLY.join(', ')})` : 'every scenario'}${QUICK ? ', quick mode' : ''}`,
    report,
  );
} finally {
  cleanup();
  await catalog.sql.end({ timeout: 1 });
}

/** The performance targets (docs in test/bench/RESULTS.md), each as a same-run ratio on this machine. */
function evaluateTargets(byKey: Map<string, SubjectSummary>, soaked: SoakResult | null): Target[] {
  const out: Target[] = [];
  const rpsOf = (k: string) => median(byKey.get(k)?.samples.map((s) => s.rps) ?? []);
  const cpuOf = (k: string) => median(byKey.get(k)?.samples.map((s) => s.cpuMsPerReq) ?? []);
  const cmp = (name: string, key: string, ref: string, min: number, stretch?: number) => {
    const a = byKey.get(key);
    const b = byKey.get(ref);
    const r = a && b && !b.missing ? ratio(a, b) : null;
    if (!r) {
      out.push({ name, measured: '–', met: null, note: b?.missing ?? 'not in this run (BENCH_ONLY)' });
      return;
    }
    // CPU per request is the steadier figure on a shared machine: the floor's over the API's says how many
    // requests the API would serve on the CPU the floor/peer needs for one (the throughput ratio if CPU-bound).
    out.push({
      name,
      measured:
        `${r.rps.toFixed(2)}× (${rpsOf(key).toFixed(0)} vs ${rpsOf(ref).toFixed(0)} req/s); by CPU ms/req ` +
        `${(cpuOf(ref) / cpuOf(key)).toFixed(2)}× (${cpuOf(key).toFixed(2)} vs ${cpuOf(ref).toFixed(2)})`,
      met: r.rps >= min,
      note: stretch ? `stretch ${stretch}× ${r.rps >= stretch ? 'met' : 'not met'}` : undefined,
    });
  };
  cmp('billed GraphQL product ≥ 1.0× PostGraphile unbilled (stretch 1.5×)', 'gql-product', 'postgraphile', 1, 1.5);
  cmp('billed REST include=product_meta ≥ 1.0× read floor', 'rest-meta', 'read', 1);
  {
    const a = byKey.get('gql-many4');
    const b = byKey.get('read-many4');
    const r = a && b ? ratio(a, b, true) : null;
    if (r?.p50 === undefined)
      out.push({ name: 'GraphQL products ×100 @ 4: p50 ≤ 1.2× read floor', measured: '–', met: null });
    else {
      const p = (k: string) => median(byKey.get(k)!.samples.map((s) => s.p50));
      out.push({
        name: 'GraphQL products ×100 @ 4: p50 ≤ 1.2× read floor',
        measured:
          `${r.p50.toFixed(2)}× (${p('gql-many4').toFixed(1)} vs ${p('read-many4').toFixed(1)} ms); CPU ms/req ` +
          `${cpuOf('gql-many4').toFixed(2)} vs ${cpuOf('read-many4').toFixed(2)}`,
        met: r.p50 <= 1.2,
      });
    }
  }
  cmp('image redemption ≥ 0.6× nginx, same bytes', 'image', 'nginx', 0.6);
  cmp('honest GraphQL product under the hostile mix ≥ 0.8× its quiet twin', 'hostile', 'gql-product', 0.8);
  cmp('token exchange ≥ 0.8× its floor', 'token', 'token-floor', 0.8);
  {
    const peakOf = (k: string) => {
      const xs = byKey.get(k)?.samples.map((s) => s.peakRssMb) ?? [];
      return xs.length ? Math.max(...xs) : null;
    };
    const [api, twin, src, pg] = ['gql-product', 'gql-twin', 'gql-src', 'postgraphile'].map(peakOf);
    const name = `API peak RSS (dist/ twin: fresh, only this load) ≤ ${RSS_TARGET}× PostGraphile (GraphQL product)`;
    const also = (what: string, mb: number | null, ref: number) =>
      mb === null ? '' : `; ${what} ${(mb / ref).toFixed(2)}× (${mb} MB)`;
    if (twin === null || pg === null) out.push({ name, measured: '–', met: null });
    else
      out.push({
        name,
        measured:
          `${(twin / pg).toFixed(2)}× (${twin} vs ${pg} MB)` +
          also('main API after every scenario', api, pg) +
          also('src/ twin through tsx', src, pg),
        met: twin <= RSS_TARGET * pg,
      });
  }
  if (!soaked || soaked.windows.length < 2) {
    out.push({ name: 'soak: last 10 s window ≥ 0.95× first', measured: '–', met: null, note: 'no soak in this run' });
    out.push({ name: 'soak: API RSS flat (max ≤ 1.1× first window)', measured: '–', met: null });
  } else {
    const w = soaked.windows;
    const first = w[0];
    const last = w[w.length - 1];
    out.push({
      name: `soak: last 10 s window ≥ 0.95× first (pool full in ${(soaked.poolFullShare * 100).toFixed(0)} % of samples)`,
      measured: `${(last.rps / first.rps).toFixed(2)}× (${last.rps} vs ${first.rps} req/s)`,
      met: last.rps >= 0.95 * first.rps,
    });
    const maxRss = Math.max(...w.map((x) => x.rssMb));
    out.push({
      name: 'soak: API RSS flat (max ≤ 1.1× first window)',
      measured: `${(maxRss / first.rssMb).toFixed(2)}× (${first.rssMb} → max ${maxRss} MB)`,
      met: maxRss <= 1.1 * first.rssMb,
    });
  }
  return out;
}
