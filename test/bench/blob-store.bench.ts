// Image redemption on the two blob stores: the same image redeemed through one-shot URLs on a node whose blobs
// are files (DATA_DIR/blobs) and on one whose blobs are in an S3-compatible bucket (a local s3rver, so the
// network part is loopback: a real S3 adds its round trips, ~10–30 ms in-region). Sequential requests, so the
// numbers are latencies, not throughput. Three cases per store: first delivery to a client (render + store
// write), a stored rendition read back from the store (IMAGE_CACHE_MB=0: nothing kept in memory), and the
// in-memory cache (the store is not touched).
// `node --import tsx test/bench/blob-store.bench.ts` with DATABASE_URL (and REDIS_URL); BLOB_BENCH_N (default 200).
import { randomBytes } from 'node:crypto';
import { createLogger } from '../../src/kernel/logger.ts';
import { GrantRecorder } from '../../src/modules/images/grant-recorder.ts';
import { SignedUrlIssuer } from '../../src/modules/images/signed-url-issuer.ts';
import { startTestApp, type TestApp, testSecrets } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { startOwnS3 } from '../helpers/s3-server.ts';
import { picture, seed } from '../helpers/testkit.ts';

const N = Number(process.env.BLOB_BENCH_N ?? 200);
const q = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const fmt = (xs: number[]) => `p50 ${q(xs, 0.5).toFixed(2)} ms, p95 ${q(xs, 0.95).toFixed(2)} ms`;

const db = await createTestDatabase();
const s3 = await startOwnS3();
const secrets = testSecrets();
const recorder = new GrantRecorder(db.sql, createLogger('silent'), { flushIntervalMs: 3_600_000, batchRows: 1e9 });
const issuer = new SignedUrlIssuer([{ kid: 'u1', secret: secrets.IMAGE_URL_KEYS.slice(3) }], recorder);
const rows: string[] = [];
try {
  const jpeg = await picture(1200, 900, 'jpeg');
  for (const [name, env] of [
    ['fs', {}],
    ['s3', s3.env(`bench-${randomBytes(3).toString('hex')}`)],
  ] as const) {
    for (const cache of ['0', '128']) {
      const app: TestApp = await startTestApp({ db, env: { ...secrets, ...env, IMAGE_CACHE_MB: cache } });
      try {
        // A product of its own per node: each node here has its own DATA_DIR.
        const product = await seed(app).product({ images: { front: jpeg } });
        const redeem = async (clientId: string) => {
          const { token } = issuer.issueToken({
            clientId,
            accountId: 'acc_bench',
            tier: 'enterprise',
            ip: '127.0.0.1',
            requestId: 'req_bench',
            gtin14: product.gtin14,
            barcode: product.barcode,
            variant: 'front',
            size: 'large',
            format: 'jpeg',
          });
          const t = performance.now();
          const r = await fetch(`${app.url}/api/v1/image/${token}`);
          const body = Buffer.from(await r.arrayBuffer());
          if (r.status !== 200) throw new Error(`redeem: ${r.status} ${body}`);
          const bytes = body.length;
          return { ms: performance.now() - t, bytes };
        };
        if (cache === '0') {
          const first: number[] = [];
          for (let i = 0; i < 10; i++) first.push((await redeem(`cl_first_${name}_${i}`)).ms);
          rows.push(`| ${name} | first delivery to a client (render + write) | ${fmt(first)} | |`);
        }
        const client = `cl_bench_${name}`;
        const { bytes } = await redeem(client); // rendered and stored once
        const lat: number[] = [];
        for (let i = 0; i < N; i++) lat.push((await redeem(client)).ms);
        const what = cache === '0' ? 'stored rendition, read from the store' : 'in-memory cache (store untouched)';
        rows.push(`| ${name} | ${what} | ${fmt(lat)} | ${bytes} |`);
      } finally {
        await app.close();
      }
    }
  }
  process.stdout.write(
    `${N} sequential redemptions of a 1200x900 master at size large, JPEG (client-marked):\n\n` +
      '| store | case | latency | bytes |\n|---|---|---|---|\n' +
      `${rows.join('\n')}\n`,
  );
} finally {
  await recorder.close?.();
  await s3.stop();
  await db.drop();
}
