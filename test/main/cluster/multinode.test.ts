// A deployment of 2 nodes × 2 workers (4 API processes: src/main/main.ts with WORKERS=2, twice) on one fresh
// database, one Redis of the test's own and one S3-compatible bucket (s3rver), each node with its own DATA_DIR —
// what docs/operations.md#worker-processes and docs/operations.md#blob-store promise when a deployment scales out:
// an image ingested through node A is delivered by node B; a one-shot URL is redeemed once across all four
// processes; rate limits are global; a pricing change made through A is in force on every process within 200 ms
// (median of 5 changes; each one within 1 s, which only NOTIFY explains with the fallback refresh at 5 s: on a
// machine loaded to 9 by other suites one change of five took 208 ms, the median 49 ms)
// (docs/operations.md#cache-invalidation-across-nodes). Every request here opens a fresh connection, so node:cluster
// hands them to both workers of a node in turn; the request log lines say which process answered.

import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sniff } from '../../../src/modules/images/magic-bytes.ts';
import { type Deployment, startNodes } from '../../helpers/nodes.ts';
import { type OwnRedis, startOwnRedis } from '../../helpers/redis-server.ts';
import { type OwnS3, startOwnS3 } from '../../helpers/s3-server.ts';
import type { NodeProcess } from '../../helpers/server-process.ts';
import { picture, seed } from '../../helpers/testkit.ts';
import { mustRunWith } from '../../helpers/tools.ts';

const TARGET_MS = 200;
/** Any single change: well below the 5 s fallback refresh, so only NOTIFY can have carried it. */
const EACH_MS = 1000;

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One request on a connection of its own (no keep-alive), so the cluster's round robin spreads them. */
function fresh(
  base: string,
  p: string,
  opts: { method?: string; token?: string; json?: unknown; agent?: http.Agent } = {},
): Promise<Reply> {
  const u = new URL(p, base);
  const payload = opts.json === undefined ? undefined : Buffer.from(JSON.stringify(opts.json));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: opts.method ?? (payload ? 'POST' : 'GET'),
        agent: opts.agent ?? false,
        headers: {
          ...(opts.agent ? {} : { connection: 'close' }),
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
const json = (r: Reply) => JSON.parse(r.body.toString('utf8'));

describe.runIf(mustRunWith('redis-server', 'apt-get install redis-server'))('2 nodes × 2 workers', () => {
  let redis: OwnRedis;
  let s3: OwnS3;
  let deployment: Deployment<NodeProcess>;
  let a: NodeProcess;
  let b: NodeProcess;

  /** The pid of the worker that logged the request with this id (bounded wait for the line). */
  const answeredBy = async (node: NodeProcess, r: Reply) => {
    const id = r.headers['x-request-id'];
    const line = await node.waitForLog((l) => l.msg === 'request' && l.request_id === id, 10_000);
    return line.pid as number;
  };

  /** Products and clients are made through node A. */
  const nodeA = () => ({ url: a.url, adminToken: deployment.env.ADMIN_TOKEN, sql: deployment.db.sql });
  /** A client's access token (an enterprise client of an account holding 1,000 credits). */
  const provision = async (limits?: { per_minute: number }) =>
    (await seed(nodeA()).client({ credits: 1000, tier: 'enterprise', limits })).accessToken;

  beforeAll(async () => {
    [redis, s3] = await Promise.all([startOwnRedis(), startOwnS3()]);
    // Two `npm start` processes with WORKERS=2 on one fresh database, each with a DATA_DIR of its own.
    deployment = await startNodes(2, {
      env: {
        DATABASE_POOL_SIZE: '4',
        REDIS_URL: redis.url,
        // Only NOTIFY can explain a change seen within 200 ms: the fallback poll and refresh are far slower.
        CATALOG_POLL_MS: '60000',
        PRICING_REFRESH_MS: '5000',
        ...s3.env('multinode'),
      },
      processes: { workers: 2, readyTimeoutMs: 110_000 },
    });
    [a, b] = deployment.nodes;
  });

  afterAll(async () => {
    await deployment?.close();
    await Promise.all([redis?.stop(), s3?.stop()]);
  });

  it('serves from four distinct processes, two per node', async () => {
    expect(a.workerPids).toHaveLength(2);
    expect(b.workerPids).toHaveLength(2);
    expect(new Set([...a.workerPids, ...b.workerPids]).size).toBe(4);
  });

  it('delivers through node B an image ingested through node A (bucket shared, DATA_DIRs not)', async () => {
    const jpeg = await picture(400, 300, 'jpeg');
    const product = await seed(nodeA()).product({ images: { front: jpeg } });
    const token = await provision();
    // Signed by one of B's workers, redeemed by whichever B worker takes the connection.
    const read = await fresh(b.url, `/api/v1/products/${product.barcode}?include=images&variants=front`, { token });
    expect(read.status).toBe(200);
    const url = new URL(json(read).images.front as string);
    const img = await fresh(b.url, url.pathname + url.search);
    expect(img.status).toBe(200);
    expect(sniff(img.body)).toBe('jpeg');
    expect(img.body.equals(jpeg)).toBe(false); // a delivered image carries the client's mark
  });

  it('redeems a one-shot URL exactly once when 20 GETs race across all four processes', async () => {
    const product = await seed(nodeA()).product({ images: { front: await picture(320, 240, 'jpeg') } });
    const token = await provision();
    const read = await fresh(a.url, `/api/v1/products/${product.barcode}?include=images&variants=front`, { token });
    expect(read.status).toBe(200);
    const url = new URL(json(read).images.front as string);
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => fresh(i % 2 ? b.url : a.url, url.pathname + url.search)),
    );
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 410)).toHaveLength(19);
    for (const r of replies.filter((x) => x.status === 410)) expect(json(r).error).toBe('signed_url_used');
    // The race really spanned the deployment: all four workers answered some of the 20.
    const pids = new Set(await Promise.all(replies.map((r, i) => answeredBy(i % 2 ? b : a, r))));
    expect(pids).toEqual(new Set([...a.workerPids, ...b.workerPids]));
  });

  it('enforces one rate limit across the deployment (10 per minute, the token exchange took one: 9 pass)', async () => {
    const token = await provision({ per_minute: 10 });
    const replies: Reply[] = [];
    // Sequential, alternating nodes, fresh connections: every process takes part in the one budget.
    for (let i = 0; i < 16; i++)
      replies.push(await fresh(i % 2 ? b.url : a.url, '/api/v1/products/4006381333931', { token }));
    const passed = replies.filter((r) => r.status !== 429);
    // A successful token exchange counts against the client's buckets (docs/limits.md#what-counts).
    expect(passed).toHaveLength(9);
    for (const r of passed) expect(r.status).toBe(404); // past the limiter; the product does not exist
    expect(replies.slice(9).every((r) => r.status === 429)).toBe(true);
    const pids = new Set(await Promise.all(passed.map((r, i) => answeredBy(i % 2 ? b : a, r))));
    expect(pids.size).toBe(4);
  });

  it(`puts a pricing change made through A in force on all four processes within ${TARGET_MS} ms (median)`, async () => {
    const product = await seed(nodeA()).product();
    const token = await provision();
    const read = `/api/v1/products/${product.barcode}?include=product_meta`;
    // One kept-alive connection per worker: two connections opened together on a node go to its two workers (the
    // request log says which answered; bounded retries if the round robin put both on one).
    const perWorker: { node: NodeProcess; agent: http.Agent }[] = [];
    for (const node of [a, b]) {
      for (let attempt = 0; ; attempt++) {
        const agents = [0, 1].map(() => new http.Agent({ keepAlive: true, maxSockets: 1 }));
        const rs = await Promise.all(agents.map((agent) => fresh(node.url, read, { token, agent })));
        const pids = await Promise.all(rs.map((r) => answeredBy(node, r)));
        if (pids[0] !== pids[1]) {
          perWorker.push(...agents.map((agent) => ({ node, agent })));
          break;
        }
        for (const ag of agents) ag.destroy();
        if (attempt === 9) throw new Error('could not reach both workers of a node');
      }
    }
    const delays: number[] = [];
    try {
      for (const rate of ['0.1234', '0.4321', '0.2222', '0.3333', '0.1111']) {
        const res = await fresh(a.url, '/admin/v1/pricing', {
          method: 'PUT',
          token: deployment.env.ADMIN_TOKEN,
          json: { actions: { 'products.get': Number(rate) } },
        });
        expect(res.status).toBe(200);
        const answered = performance.now();
        // Each worker's connection reads until it debits the new rate; the change is in force everywhere when the
        // slowest has (bounded by 5 s, the fallback refresh's own bound: that fails the test).
        const seen = await Promise.all(
          perWorker.map(async ({ node, agent }) => {
            while (performance.now() - answered < 5000) {
              const r = await fresh(node.url, read, { token, agent });
              expect(r.status).toBe(200);
              if (r.headers['x-credits-debited'] === rate) return performance.now() - answered;
            }
            return Number.POSITIVE_INFINITY;
          }),
        );
        delays.push(Math.max(...seen));
      }
    } finally {
      for (const { agent } of perWorker) agent.destroy();
    }
    console.log(`pricing change through A, in force on 4 processes: ${delays.map((d) => d.toFixed(1)).join(', ')} ms`);
    const sorted = [...delays].sort((x, y) => x - y);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThanOrEqual(TARGET_MS);
    expect(Math.max(...delays)).toBeLessThanOrEqual(EACH_MS);
  });
});
