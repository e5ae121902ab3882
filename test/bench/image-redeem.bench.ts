// A focused benchmark of the one-shot image redemption path (GET /api/v1/image/{token}): one API process
// against a fresh database and a redis-server of its own, a small cached JPEG (so the load generator is not
// the bottleneck and the number is the redemption path: token check, shared-state claim, cached bytes).
// `node --import tsx test/bench/image-redeem.bench.ts` with DATABASE_URL; IMG_BENCH_SECONDS (default 8),
// IMG_BENCH_CONNECTIONS (default 32), IMG_BENCH_RUNS (default 3; the median is reported). 127.0.0.1 only.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../src/kernel/logger.ts';
import { GrantRecorder } from '../../src/modules/images/grant-recorder.ts';
import { SignedUrlIssuer } from '../../src/modules/images/signed-url-issuer.ts';
import { spawnServer, testSecrets } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { startOwnRedis } from '../helpers/redis-server.ts';
import { picture, seed } from '../helpers/testkit.ts';
import { autocannonRun, type LoadResult } from './bench-load.ts';

const SECONDS = Number(process.env.IMG_BENCH_SECONDS ?? 8);
const CONNS = Number(process.env.IMG_BENCH_CONNECTIONS ?? 32);
const RUNS = Number(process.env.IMG_BENCH_RUNS ?? 3);
const log = (m: string) => process.stderr.write(`[img-bench] ${m}\n`);

const db = await createTestDatabase();
const redis = await startOwnRedis();
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kc-img-bench-'));
const secrets = testSecrets();
const server = await spawnServer({
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  DATABASE_URL: db.url,
  REDIS_URL: redis.url,
  DATA_DIR: dataDir,
  DEMO_PRODUCTS: '0',
  ...secrets,
});
const recorder = new GrantRecorder(db.sql, createLogger('silent'), { flushIntervalMs: 3_600_000, batchRows: 1e9 });
try {
  const node = { url: server.url, adminToken: secrets.ADMIN_TOKEN, sql: db.sql };
  const product = await seed(node).product({ images: { front: await picture(320, 240, 'jpeg') } });
  const [kid, secret] = [secrets.IMAGE_URL_KEYS.slice(0, 2), secrets.IMAGE_URL_KEYS.slice(3)];
  const issuer = new SignedUrlIssuer([{ kid, secret }], recorder);
  const paths = (n: number) =>
    Array.from(
      { length: n },
      () =>
        `/api/v1/image/${
          issuer.issueToken({
            clientId: 'cl_bench',
            accountId: 'acc_bench',
            tier: 'enterprise',
            ip: '127.0.0.1',
            requestId: 'req_bench',
            gtin14: product.gtin14,
            barcode: product.barcode,
            variant: 'front',
            size: 'original',
            format: 'original',
          }).token
        }`,
    );
  const run = async (seconds: number): Promise<LoadResult> => {
    const list = paths(seconds * 12_000);
    let i = 0;
    return autocannonRun({
      url: server.url,
      connections: CONNS,
      duration: seconds,
      next: () => ({ path: list[i++ % list.length] }),
    });
  };
  log('warm-up 2 s');
  await run(2);
  const results: LoadResult[] = [];
  for (let r = 0; r < RUNS; r++) {
    const res = await run(SECONDS);
    log(`run ${r + 1}: ${res.rps.toFixed(0)} req/s, p50 ${res.p50} ms, p99 ${res.p99} ms, errors ${res.errors}`);
    results.push(res);
  }
  results.sort((a, b) => a.rps - b.rps);
  const m = results[Math.floor(results.length / 2)];
  process.stdout.write(
    `image redemption (320x240 JPEG, one-shot, ${CONNS} conns, ${SECONDS} s, median of ${RUNS}): ` +
      `${m.rps.toFixed(0)} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms, ` +
      `errors ${results.reduce((a, b) => a + b.errors, 0)}\n`,
  );
} finally {
  await recorder.close();
  await server.stop();
  await redis.stop();
  await db.drop();
  await rm(dataDir, { recursive: true, force: true });
}
