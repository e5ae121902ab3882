// The soak of `npm run bench`: the billed REST read for a long run against an API whose connection pool is
// small enough to queue, reported per 10 s window (throughput, RSS, how busy the pool was). postgres.js is
// said to slow down when more queries wait than its pool can run; with the catalog cache warm and debits
// group-committed a plain billed read needs ~0.1 transactions per request and never queues. So every soak
// request carries its own Idempotency-Key (a retry-safe client): the key's claim and completion are two more
// statements per request (each its own commit), and 64 requests in flight share DATABASE_POOL_SIZE=2
// connections. The queue is shown, not assumed: pg_stat_activity is sampled every 250 ms for the API's busy
// backends (a backend is idle between queries only when nothing waits for it), and pg_stat_database gives
// transactions per request.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Sql } from '../../src/platform/db/client.ts';
import { autocannonRun } from './bench-load.ts';
import { cpuMs, rssMb, sleep } from './bench-proc.ts';
import { median } from './bench-report.ts';

export interface SoakOptions {
  apiUrl: string;
  pid: number;
  /** A connection to kc_bench for the samples (not the API's). */
  sql: Sql;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  poolSize: number;
  headers: Record<string, string>;
  barcodes: string[];
}

export interface SoakResult {
  windows: { rps: number; rssMb: number; busy: number; full: number; cpuMsPerReq: number; load1: number }[];
  errors: number;
  requests: number;
  txPerRequest: number;
  poolFullShare: number;
  text: string;
}

const commits = async (sql: Sql) =>
  Number(
    (
      await sql<{ n: string }[]>`
        select (xact_commit + xact_rollback)::text as n from pg_stat_database where datname = current_database()`
    )[0].n,
  );

export async function soak(o: SoakOptions): Promise<SoakResult> {
  const pick = () => o.barcodes[Math.floor(Math.random() * o.barcodes.length)];
  const load = (seconds: number) =>
    autocannonRun({
      url: o.apiUrl,
      connections: o.connections,
      duration: seconds,
      headers: o.headers,
      next: () => ({
        path: `/api/v1/products/${pick()}?include=product_meta`,
        headers: { 'idempotency-key': `bench-soak-${randomBytes(12).toString('hex')}` },
      }),
    });
  await load(o.warmupSeconds);

  const samples: { t: number; busy: number; rss: number; cpu: number; load1: number }[] = [];
  let sampling = true;
  let sampleQueries = 0;
  const t0 = performance.now();
  const sampler = (async () => {
    // Bounded: four samples a second for at most the soak's length plus a minute.
    for (let i = 0; sampling && i < (o.seconds + 60) * 4; i++) {
      const [{ busy }] = await o.sql<{ busy: number }[]>`
        select count(*) filter (where state <> 'idle')::int as busy from pg_stat_activity
        where datname = current_database() and application_name = 'kosher-catalog' and pid <> pg_backend_pid()`;
      sampleQueries++;
      const t = performance.now() - t0;
      samples.push({ t, busy, rss: rssMb(o.pid), cpu: cpuMs(o.pid), load1: os.loadavg()[0] });
      await sleep(250);
    }
  })();
  const tx0 = await commits(o.sql);
  const r = await load(o.seconds);
  sampling = false;
  await sampler;
  const tx = (await commits(o.sql)) - tx0 - sampleQueries - 1;

  const perSecond = r.perSecond ?? [];
  const windows: SoakResult['windows'] = [];
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  for (let i = 0; i < o.seconds; i += 10) {
    const secs = perSecond.slice(i, i + 10);
    const s = samples.filter((x) => x.t >= i * 1000 && x.t < (i + 10) * 1000);
    if (!secs.length) break;
    const reqs = secs.reduce((a, b) => a + b, 0);
    // CPU the API spent in this window: from its first sample to the next window's first.
    const end = samples.find((x) => x.t >= (i + 10) * 1000) ?? samples[samples.length - 1];
    windows.push({
      rps: Math.round(reqs / secs.length),
      cpuMsPerReq:
        s.length && end ? ((end.cpu - s[0].cpu) / (end.t - s[0].t)) * (10_000 / Math.max(1, reqs)) : Number.NaN,
      load1: median(s.map((x) => x.load1)),
      rssMb: Math.max(0, ...s.map((x) => x.rss)),
      busy: mean(s.map((x) => x.busy)),
      full: s.filter((x) => x.busy >= o.poolSize).length / Math.max(1, s.length),
    });
  }
  const poolFullShare = samples.filter((x) => x.busy >= o.poolSize).length / Math.max(1, samples.length);
  const txPerRequest = tx / Math.max(1, r.requests);
  const text = [
    `Soak: REST GET product include=product_meta, billed, one Idempotency-Key per request, ${o.connections} connections, ` +
      `API with DATABASE_POOL_SIZE=${o.poolSize}, ${o.seconds} s after ${o.warmupSeconds} s of warm-up (caches filled before). ` +
      `${r.requests} requests, ${r.errors} errors, p50 ${r.p50} ms, p99 ${r.p99} ms. ` +
      `Pool: ${txPerRequest.toFixed(2)} transactions per request (pg_stat_database); the API's backends were busy ` +
      `${mean(samples.map((x) => x.busy)).toFixed(1)} of ${o.poolSize} on average, and all ${o.poolSize} busy (so ` +
      `the next query waited) in ${(poolFullShare * 100).toFixed(0)} % of samples (pg_stat_activity, every 250 ms), ` +
      `with ${o.connections} requests in flight.`,
    '',
    '| window (s) | req/s | API CPU ms/req | API RSS MB (max) | busy backends (mean) | pool full | load average (1 min) |',
    '|---|---|---|---|---|---|---|',
    ...windows.map(
      (w, i) =>
        `| ${i * 10}–${i * 10 + 10} | ${w.rps} | ${w.cpuMsPerReq.toFixed(2)} | ${w.rssMb} | ${w.busy.toFixed(1)} | ${(w.full * 100).toFixed(0)} % | ${w.load1.toFixed(1)} |`,
    ),
  ].join('\n');
  return { windows, errors: r.errors, requests: r.requests, txPerRequest, poolFullShare, text };
}
