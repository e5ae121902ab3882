// Per-request costs for the capacity model (docs/scaling.md): for each hot request kind, a fixed number of
// requests at moderate concurrency against the API in production mode on a copy of the bench catalog
// (kc_capacity, from the bench's template), and
// what they cost: API CPU ms (the whole process tree, so WORKERS>1 counts every worker), PostgreSQL CPU ms (every
// postgres process), Redis CPU ms (a redis-server of its own), database statements counted on the wire by a
// proxy (test/bench/pg-count-proxy.ts), commits, Redis commands, response bytes.
// `node --import tsx test/bench/capacity.bench.ts` with DATABASE_URL (default the machine's PostgreSQL).
// CAP_WORKERS (comma list, default "1"), CAP_REQUESTS (per scenario, default 3000), CAP_CONNECTIONS (default 16).
// CPU is read from /proc: run it on a quiet machine, other processes' PostgreSQL work would be counted too.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { freePort, startOwnRedis } from '../helpers/redis-server.ts';
import { testSecrets } from '../helpers/secrets.ts';
import { prepareCatalog } from './bench-catalog.ts';
import { uploadBenchImage } from './bench-image.ts';
import { PEER_SCHEMA_SQL } from './bench-peers.ts';
import { post } from './bench-proc.ts';
import { startPgCountProxy } from './pg-count-proxy.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DB = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const WORKERS = (process.env.CAP_WORKERS ?? '1').split(',').map((s) => s.trim());
const REQUESTS = Number(process.env.CAP_REQUESTS ?? 3000);
const CONNS = Number(process.env.CAP_CONNECTIONS ?? 16);
const TICK_MS = 1000 / 100; // USER_HZ: /proc times are in 1/100 s on Linux
const log = (m: string) => process.stderr.write(`[capacity] ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(a: T[]) => a[Math.floor(Math.random() * a.length)];

interface Proc {
  pid: number;
  ppid: number;
  comm: string;
  ticks: number;
}
async function processes(): Promise<Proc[]> {
  const out: Proc[] = [];
  for (const d of await readdir('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = await readFile(`/proc/${d}/stat`, 'utf8');
      const close = s.lastIndexOf(')');
      const comm = s.slice(s.indexOf('(') + 1, close);
      const f = s.slice(close + 2).split(' ');
      out.push({ pid: Number(d), ppid: Number(f[1]), comm, ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      /* exited */
    }
  }
  return out;
}
/**
 * CPU ms of the API process and all its descendants; of the PostgreSQL backends connected to the measured database
 * (other databases' work on a shared machine is not counted; the WAL writer is not either); of our redis-server.
 */
async function cpuSample(apiPid: number, redisPid: number, pgPids: Set<number>) {
  const ps = await processes();
  const tree = new Set([apiPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of ps)
      if (!tree.has(p.pid) && tree.has(p.ppid)) {
        tree.add(p.pid);
        grew = true;
      }
  }
  const sum = (f: (p: Proc) => boolean) => ps.filter(f).reduce((a, p) => a + p.ticks * TICK_MS, 0);
  return {
    api: sum((p) => tree.has(p.pid)),
    pg: sum((p) => pgPids.has(p.pid)),
    redis: sum((p) => p.pid === redisPid),
  };
}

function load(
  url: string,
  amount: number,
  headers: Record<string, string>,
  next: () => { path: string; body?: string },
) {
  return new Promise<autocannon.Result & { bad: number }>((resolve, reject) => {
    let bad = 0;
    autocannon(
      {
        url,
        connections: CONNS,
        amount,
        requests: [
          {
            method: next().body === undefined ? 'GET' : 'POST',
            headers,
            setupRequest: (req) => ({ ...req, ...next() }),
            onResponse: (status: number, body: string) => {
              if (status !== 200 && bad++ === 0) log(`first refusal: ${status} ${String(body).slice(0, 200)}`);
            },
          },
        ],
      },
      (err, res) => (err ? reject(err) : resolve({ ...res, bad })),
    );
  });
}

const catalog = await prepareCatalog(DB, path.join(ROOT, '.bench-data'), log, PEER_SCHEMA_SQL, 'kc_capacity');
const target = new URL(catalog.url);
const proxy = await startPgCountProxy({ host: target.hostname, port: Number(target.port || 5432) });
const viaProxy = new URL(catalog.url);
viaProxy.port = String(proxy.port);
const redis = await startOwnRedis();
// CAP_REDIS_URL: measure against another Redis (e.g. the machine's); its CPU column then reads 0.
const redisUrl = process.env.CAP_REDIS_URL ?? redis.url;
const redisInfo = new Redis(redisUrl);
const redisPid = Number(/process_id:(\d+)/.exec(await redisInfo.info('server'))?.[1]);
const rows: string[] = [];

// One DATA_DIR for every API started here: they share the database, whose image rows point at blobs in it.
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kc-capacity-'));

async function measure(workers: string): Promise<void> {
  const port = await freePort();
  const secrets = testSecrets();
  const api: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      WORKERS: workers,
      DATABASE_URL: viaProxy.toString(),
      REDIS_URL: redisUrl,
      DATA_DIR: dataDir,
      DEMO_PRODUCTS: '0',
      LOG_LEVEL: 'warn',
      ...secrets,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      const ok = await fetch(`${url}/api/v1/health`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      if (i > 600) throw new Error('API did not come up');
      await sleep(100);
    }
    const admin = { authorization: `Bearer ${secrets.ADMIN_TOKEN}` };
    const acct = await post(`${url}/admin/v1/accounts`, { name: 'capacity', credits: 100_000_000 }, admin);
    const client = await post(
      `${url}/admin/v1/accounts/${acct.account_id}/clients`,
      { name: 'capacity', tier: 'enterprise', limits: { per_minute: 100_000_000, per_day: 1_000_000_000 } },
      admin,
    );
    const tok = await post(`${url}/api/v1/auth/token`, { client_id: client.client_id, api_key: client.api_key });
    const auth = { authorization: `Bearer ${tok.access_token}`, 'content-type': 'application/json' };

    // A ~200 KB studio-like JPEG as the front of one product (the bytes an image redemption sends).
    const benchImage = await uploadBenchImage({
      apiUrl: url,
      adminToken: secrets.ADMIN_TOKEN,
      sql: catalog.sql,
      barcode: catalog.withFront[0],
      urlKey: secrets.IMAGE_URL_KEYS,
      clientId: client.client_id,
      accountId: acct.account_id,
      requestId: 'req_capacity',
    });
    const imagePath = () => benchImage.path();

    const PRODUCT_Q =
      'query($b: Barcode!){ product(barcode: $b){ barcode productMeta { brand productName netWeight bracha hechshers { symbol org } } images { front } } }';
    const PRODUCTS_Q =
      'query($bs: [Barcode!]!){ products(barcodes: $bs){ barcode productMeta { brand productName netWeight bracha hechshers { symbol org } } images { front } } }';
    const many = (n: number) => Array.from({ length: n }, () => pick(catalog.all));
    const gql = (query: string, variables: () => unknown) => () => ({
      path: '/graphql',
      body: JSON.stringify({ query, variables: variables() }),
    });

    // Warm the catalog cache with every product (250 reads of 100), so the measured requests are the steady state.
    log(`WORKERS=${workers}: warming the catalog cache`);
    for (let i = 0; i < catalog.all.length; i += 100) {
      const r = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ query: PRODUCTS_Q, variables: { bs: catalog.all.slice(i, i + 100) } }),
      });
      if (r.status !== 200) throw new Error(`warm-up: ${r.status}`);
    }
    // Each worker has its own cache: with WORKERS>1 one more random pass lets every worker see most products.
    await load(
      url,
      500,
      auth,
      gql(PRODUCTS_Q, () => ({ bs: many(100) })),
    );

    const scenarios: { name: string; perUnit?: number; next: () => { path: string; body?: string } }[] = [
      {
        name: 'billed REST read (?include=product_meta)',
        next: () => ({ path: `/api/v1/products/${pick(catalog.all)}?include=product_meta` }),
      },
      {
        name: 'billed GraphQL product (productMeta + front URL)',
        next: gql(PRODUCT_Q, () => ({ b: pick(catalog.all) })),
      },
      { name: 'billed GraphQL products ×100', perUnit: 100, next: gql(PRODUCTS_Q, () => ({ bs: many(100) })) },
      { name: 'image redemption (~200 KB JPEG, one-shot)', next: () => ({ path: imagePath() }) },
    ];
    const xacts = async () =>
      Number(
        (
          await catalog.sql<{ n: string }[]>`
            select xact_commit + xact_rollback as n from pg_stat_database where datname = 'kc_capacity'`
        )[0].n,
      );
    const redisCommands = async () =>
      Number(/total_commands_processed:(\d+)/.exec(await redisInfo.info('stats'))?.[1] ?? 0);
    const backends = async () =>
      new Set(
        (
          await catalog.sql<{ pid: number }[]>`
            select pid from pg_stat_activity where datname = 'kc_capacity' and pid <> pg_backend_pid()`
        ).map((r) => r.pid),
      );
    for (const sc of scenarios) {
      const apiPid = api.pid!;
      // The API's pool connections stay open: the backends seen before the run serve it (a few more may open).
      const pgPids = await backends();
      const before = {
        cpu: await cpuSample(apiPid, redisPid, pgPids),
        st: proxy.counts.statements,
        x: await xacts(),
        rc: await redisCommands(),
      };
      const t0 = performance.now();
      const res = await load(url, REQUESTS, sc.name.startsWith('image') ? {} : auth, sc.next);
      const secs = (performance.now() - t0) / 1000;
      await sleep(1200); // the debit batches and grant rows of the last requests reach the database
      for (const p of await backends()) pgPids.add(p);
      const after = {
        cpu: await cpuSample(apiPid, redisPid, pgPids),
        st: proxy.counts.statements,
        x: await xacts(),
        rc: await redisCommands(),
      };
      const n = res.requests.total;
      const per = (a: number, b: number) => ((a - b) / n).toFixed(3);
      rows.push(
        `| ${workers} | ${sc.name} | ${n} | ${(n / secs).toFixed(0)} | ${res.latency.p50} / ${res.latency.p99} | ` +
          `${per(after.cpu.api, before.cpu.api)} | ${per(after.cpu.pg, before.cpu.pg)} | ` +
          `${per(after.cpu.redis, before.cpu.redis)} | ${per(after.st, before.st)} | ${per(after.x, before.x)} | ` +
          `${per(after.rc, before.rc)} | ${Math.round(res.throughput.total / n)} | ${res.bad + res.errors} |`,
      );
      log(rows.at(-1)!);
    }
  } finally {
    await new Promise<void>((resolve) => {
      if (api.exitCode !== null) return resolve();
      api.once('exit', () => resolve());
      api.kill('SIGTERM');
    });
  }
}

try {
  for (const w of WORKERS) await measure(w);
  const load1 = os.loadavg()[0].toFixed(2);
  console.log(
    `Capacity inputs — ${new Date().toISOString()} — ${os.cpus().length} cores (${os.cpus()[0]?.model}), node ` +
      `${process.version}, ${REQUESTS} requests per row at ${CONNS} connections, load average ${load1} at the end\n`,
  );
  console.log(
    '| WORKERS | request | n | req/s | p50 / p99 ms | API CPU ms/req | PostgreSQL CPU ms/req | Redis CPU ms/req | ' +
      'SQL statements/req | transactions/req | Redis commands/req | response bytes/req | errors |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
} finally {
  redisInfo.disconnect();
  await rm(dataDir, { recursive: true, force: true });
  await proxy.close();
  await redis.stop();
  await catalog.sql.end();
}
process.exit(0);
