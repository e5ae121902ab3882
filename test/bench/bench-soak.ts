// The soak of `npm run bench`: the billed REST read for a long run against an API whose connection pool is
// small enough to queue, reported per 10 s window (throughput, RSS, how busy the pool was). postgres.js is
// said to slow down when more queries wait than its pool can run; with the catalog cache warm and debits
// group-committed a plain billed read needs ~0.1 transactions per request and never queues. So every soak
// request carries its own Idempotency-Key (a retry-safe client): the key's claim and completion are two more
// statements per request, and 64 requests in flight share DATABASE_POOL_SIZE=4 connections. The queue is
// shown, not assumed: pg_stat_activity is sampled every second for the API's busy backends, and
// pg_stat_database gives transactions per request.
import { randomBytes } from 'node:crypto';
import type { Sql } from '../../src/db/client.ts';
import { autocannonRun } from './bench-load.ts';
import { median } from './bench-report.ts';
import os from 'node:os';
import { cpuMs, rssMb, sleep } from './bench-proc.ts';

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
  windows: { rps: number; rssMb: number; busy: number; cpuMsPerReq: number; load1: number }[];
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

  const samples: { busy: number; rss: number; cpu: number; load1: number }[] = [];
  let sampling = true;
  let sampleQueries = 0;
  const sampler = (async () => {
    // Bounded: one sample a second for at most the soak's length plus a minute.
    for (let i = 0; sampling && i < o.seconds + 60; i++) {
      const [{ busy }] = await o.sql<{ busy: number }[]>`
        select count(*) filter (where state <> 'idle')::int as busy from pg_stat_activity
        where datname = current_database() and application_name = 'kosher-catalog' and pid <> pg_backend_pid()`;
      sampleQueries++;
      samples.push({ busy, rss: rssMb(o.pid), cpu: cpuMs(o.pid), load1: os.loadavg()[0] });
      await sleep(1000);
    }
  })();
  const tx0 = await commits(o.sql);
  const r = await load(o.seconds);
  sampling = false;
  await sampler;
  const tx = (await commits(o.sql)) - tx0 - sampleQueries - 1;

  const perSecond = r.perSecond ?? [];
  const windows: SoakResult['windows'] = [];
  for (let i = 0; i < o.seconds; i += 10) {
    const secs = perSecond.slice(i, i + 10);
    const s = samples.slice(i, i + 10);
    if (!secs.length) break;
    const reqs = secs.reduce((a, b) => a + b, 0);
    // CPU the API spent in this window (samples are a second apart; the next window's first closes it).
    const end = samples[Math.min(samples.length - 1, i + 10)];
    windows.push({
      rps: Math.round(reqs / secs.length),
      cpuMsPerReq: s.length && end ? (end.cpu - s[0].cpu) / Math.max(1, reqs) : Number.NaN,
      load1: median(s.map((x) => x.load1)),
      rssMb: Math.max(0, ...s.map((x) => x.rss)),
      busy: median(s.map((x) => x.busy)),
    });
  }
  const poolFullShare = samples.filter((x) => x.busy >= o.poolSize).length / Math.max(1, samples.length);
  const txPerRequest = tx / Math.max(1, r.requests);
  const text = [
    `Soak: REST GET product include=product_meta, billed, one Idempotency-Key per request, ${o.connections} connections, ` +
      `API with DATABASE_POOL_SIZE=${o.poolSize}, ${o.seconds} s after ${o.warmupSeconds} s of warm-up (caches filled before). ` +
      `${r.requests} requests, ${r.errors} errors, p50 ${r.p50} ms, p99 ${r.p99} ms. ` +
      `${poolFullShare >= 0.5 ? 'The pool queued' : 'The pool did not queue'}: ${txPerRequest.toFixed(2)} transactions per request (pg_stat_database), the API's backends ` +
      `busy ${median(samples.map((x) => x.busy))} of ${o.poolSize} at the median 1 s sample and all ${o.poolSize} busy ` +
      `in ${(poolFullShare * 100).toFixed(0)} % of samples (pg_stat_activity), with ${o.connections} requests in flight.`,
    '',
    '| window (s) | req/s | API CPU ms/req | API RSS MB (max) | busy backends (median) | load average (1 min) |',
    '|---|---|---|---|---|---|',
    ...windows.map(
      (w, i) =>
        `| ${i * 10}–${i * 10 + 10} | ${w.rps} | ${w.cpuMsPerReq.toFixed(2)} | ${w.rssMb} | ${w.busy} | ${w.load1.toFixed(1)} |`,
    ),
  ].join('\n');
  return { windows, errors: r.errors, requests: r.requests, txPerRequest, poolFullShare, text };
}
