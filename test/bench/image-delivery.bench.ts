// Delivery throughput of a cached image through GET /api/v1/image/{token}: each request redeems its own
// one-shot URL (signature, expiry, IP and the atomic setIfAbsent all run), bytes come from the memory LRU.
// Needs DATABASE_URL (and REDIS_URL to measure the shared-state round trips) and `wrk` on PATH.
// Run: DATABASE_URL=… REDIS_URL=… node --import tsx test/bench/image-delivery.bench.ts [seconds] [connections]
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { startTestApp } from '../helpers/app.ts';
import { createLogger } from '../../src/logger.ts';
import { GrantRecorder } from '../../src/images/grant-recorder.ts';
import { SignedUrlIssuer } from '../../src/images/signed-url-issuer.ts';
import { insertProduct, putImage } from '../images/image-fixtures.ts';

const run = promisify(execFile);
const seconds = Number(process.argv[2] ?? 10);
const conns = Number(process.argv[3] ?? 32);
const app = await startTestApp({ env: { LOG_LEVEL: 'silent' } });
try {
  const p = await insertProduct(app.db.sql);
  // ~200 KB: a noisy 1000x1000 JPEG (a flat synthetic picture would compress to a few KB).
  const noise = Buffer.alloc(1000 * 1000 * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24 & 0xff ^ (i % 251);
  const jpeg = await sharp(noise, { raw: { width: 1000, height: 1000, channels: 3 } }).blur(1.5).jpeg({ quality: 80 }).toBuffer();
  const put = await putImage(app.url, app.adminToken, p.barcode, 'front', jpeg, 'image/jpeg');
  if (put.status !== 201) throw new Error(`upload failed: ${put.status}`);
  const recorder = new GrantRecorder(app.db.sql, createLogger('silent'), { flushIntervalMs: 3_600_000, batchRows: 1e9 });
  const issuer = new SignedUrlIssuer(app.config.IMAGE_URL_KEYS, recorder);
  const n = Math.ceil(seconds * 12_000);
  const tokens: string[] = [];
  for (let i = 0; i < n; i++) {
    tokens.push(issuer.issueToken({ clientId: 'cl_bench', accountId: 'acc_bench', tier: 'standard', ip: '127.0.0.1', requestId: 'req_bench',
      gtin14: p.gtin14, barcode: p.barcode, variant: 'front', size: 'original', format: 'original' }).token);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kc-bench-'));
  writeFileSync(path.join(dir, 'tokens.txt'), tokens.join('\n'));
  // Warm the LRU with one redemption.
  const warm = await fetch(`${app.url}/api/v1/image/${tokens.pop()}`);
  const size = (await warm.arrayBuffer()).byteLength;
  writeFileSync(path.join(dir, 'tokens.lua'), `
local threads, counter = {}, 0
function setup(thread) thread:set("id", counter); counter = counter + 1 end
function init(args)
  toks = {}
  local i = 0
  for line in io.lines("${path.join(dir, 'tokens.txt')}") do
    if i % 2 == id then toks[#toks + 1] = line end
    i = i + 1
  end
  n = 0
end
function request() n = n + 1; return wrk.format("GET", "/api/v1/image/" .. toks[((n - 1) % #toks) + 1]) end
`);
  // Async: the server runs in this very process, a sync child would freeze its event loop.
  const { stdout: out } = await run('wrk', ['-t2', `-c${conns}`, `-d${seconds}s`, '--latency', '-s', path.join(dir, 'tokens.lua'), app.url]);
  process.stdout.write(`image bytes: ${size}; shared state: ${app.service.infra.state.kind}\n${out}`);
} finally {
  await app.close();
}
