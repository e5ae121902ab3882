// A big master cannot stall a node (docs/limits.md#image-size-limits): while 7000×7000 masters (49 Mpx, just under the 50 Mpx
// cap; a PNG cut-out and a JPEG) are ingested and then first delivered, marked, at their original size, the node keeps answering
// /api/v1/health quickly (p99 under 100 ms) and its resident memory grows by at most 300 MB. Past the cap the
// upload is refused with a clear 422 before anything is decoded.
//
// The node is a separate process, so its RSS is its own: the kernel's peak (VmHWM) is reset after warm-up
// (`/proc/<pid>/clear_refs`, 5) at the start of each phase and read at its end, so a short spike between two
// samples still counts. It runs in a lane of its own (vitest.config.ts), so no other test's CPU is in its latencies.
import { readFileSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { call } from '../../../helpers/http.ts';
import { type Deployment, startNodes } from '../../../helpers/nodes.ts';
import type { NodeProcess } from '../../../helpers/server-process.ts';
import { putImage, seed } from '../../../helpers/testkit.ts';

const SIDE = 7000;
const HEALTH_P99_MS = 100;
const RSS_GROWTH_MB = 300;

let d: Deployment<NodeProcess> | undefined;
afterAll(async () => {
  await d?.close();
});

const kib = (field: 'VmRSS' | 'VmHWM', pid: number) =>
  Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);

/** A 7000×7000 product shot: soft shapes and some texture; on transparency (PNG cut-out) or on white (JPEG). */
async function bigShot(format: 'png' | 'jpeg'): Promise<Buffer> {
  const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${SIDE}" height="${SIDE}">
    <defs><radialGradient id="g"><stop offset="0" stop-color="#2a6fb0"/><stop offset="1" stop-color="#d04020"/></radialGradient></defs>
    <ellipse cx="${SIDE / 2}" cy="${SIDE / 2}" rx="${SIDE / 3}" ry="${SIDE / 2.5}" fill="url(#g)"/>
    <rect x="${SIDE / 4}" y="${SIDE / 3}" width="${SIDE / 2}" height="${SIDE / 6}" fill="#fafafa" opacity="0.8"/></svg>`);
  const img = sharp(svg, { limitInputPixels: false });
  return format === 'png'
    ? img.png({ compressionLevel: 6 }).toBuffer()
    : img.flatten({ background: '#ffffff' }).jpeg({ quality: 90 }).toBuffer();
}

describe('a 7000×7000 master', () => {
  it('is ingested and first delivered while /api/v1/health stays fast and RSS grows by at most 300 MB', async () => {
    // The probes come from one IP: its per-IP budget must not be what the test measures. The allocator settings are
    // the ones every shipped deployment has (docs/operations.md#memory-allocator).
    d = await startNodes(1, {
      env: { RATE_LIMIT_IP_PER_MINUTE: '100000', MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' },
      processes: { readyTimeoutMs: 120_000 },
    });
    const node = d.nodes[0];
    const pid = node.child.pid!;
    const ref = { url: node.url, adminToken: d.env.ADMIN_TOKEN, sql: d.db.sql };
    const [small, big] = await seed(ref).products([{ images: ['front_clean'] }, {}]);
    const client = await seed(ref).client({ credits: 1000, tier: 'enterprise' });
    const masters = { front_clean: await bigShot('png'), front: await bigShot('jpeg') };
    for (const m of Object.values(masters)) expect(m.length).toBeLessThan(25 * 1024 * 1024);

    /** A paid read of one image URL (original size and format, the defaults), then its redemption. */
    const deliver = async (barcode: string, variant: 'front' | 'front_clean') => {
      const read = await call(node.url, `/api/v1/products/${barcode}?include=images&variants=${variant}`, {
        token: client.accessToken,
      });
      expect(read.status).toBe(200);
      const r = await fetch(read.body.images[variant] as string);
      const bytes = Buffer.from(await r.arrayBuffer());
      expect(r.status).toBe(200);
      return bytes;
    };

    // Warm-up: one small ingest has happened (seed) and one small delivery loads the mark workers and sharp.
    await deliver(small.barcode, 'front_clean');
    for (let i = 0; i < 5; i++) await fetch(`${node.url}/api/v1/health`).then((r) => r.arrayBuffer());
    const before = kib('VmRSS', pid);

    const latencies: number[] = [];
    let running = true;
    const poller = (async () => {
      // Bounded: at most one probe per 20 ms for as long as the big images are in flight.
      for (let i = 0; running && i < 30_000; i++) {
        const t = performance.now();
        const r = await fetch(`${node.url}/api/v1/health`);
        await r.arrayBuffer();
        latencies.push(performance.now() - t);
        expect(r.status).toBe(200);
        await new Promise((res) => setTimeout(res, 20));
      }
    })();

    /** Each phase's peak RSS: the kernel's high-water mark, reset when the phase starts. */
    const phases: { name: string; startMb: number; peakMb: number }[] = [];
    const phase = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
      const startMb = kib('VmRSS', pid) / 1024;
      writeFileSync(`/proc/${pid}/clear_refs`, '5');
      const out = await work();
      phases.push({ name, startMb, peakMb: kib('VmHWM', pid) / 1024 });
      return out;
    };
    const delivered: Record<string, Buffer> = {};
    try {
      for (const [variant, bytes] of Object.entries(masters)) {
        const type = variant === 'front' ? 'image/jpeg' : 'image/png';
        const put = await phase(`ingest ${variant}`, () =>
          putImage(node.url, d!.env.ADMIN_TOKEN, big.barcode, variant, bytes, type),
        );
        expect(put.status).toBe(201);
        expect(put.body.image_meta).toMatchObject({ width: SIDE, height: SIDE });
      }
      for (const variant of ['front_clean', 'front'] as const)
        delivered[variant] = await phase(`deliver ${variant}`, () => deliver(big.barcode, variant));
    } finally {
      running = false;
      await poller;
    }

    for (const [variant, format] of [
      ['front_clean', 'png'],
      ['front', 'jpeg'],
    ]) {
      const meta = await sharp(delivered[variant], { limitInputPixels: false }).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual([format, SIDE, SIDE]);
    }

    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))];
    const peakMb = Math.max(...phases.map((p) => p.peakMb));
    const growthMb = peakMb - before / 1024;
    console.log(
      `big masters: ${latencies.length} health probes, p50 ${latencies[latencies.length >> 1].toFixed(1)} ms, ` +
        `p99 ${p99.toFixed(1)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms; RSS ${(before / 1024).toFixed(0)} MB ` +
        `before; ${phases.map((p) => `${p.name} ${p.startMb.toFixed(0)} → peak ${p.peakMb.toFixed(0)} MB`).join('; ')} ` +
        `(+${growthMb.toFixed(0)} MB)`,
    );
    expect(latencies.length).toBeGreaterThan(20);
    expect(p99).toBeLessThan(HEALTH_P99_MS);
    expect(growthMb).toBeLessThanOrEqual(RSS_GROWTH_MB);
  }, 300_000);

  it('past the pixel cap: 422 unprocessable_image naming the limit, nothing decoded', async () => {
    const node = d!.nodes[0];
    const ref = { url: node.url, adminToken: d!.env.ADMIN_TOKEN, sql: d!.db.sql };
    const p = await seed(ref).product();
    // 7100×7100 = 50.41 Mpx, declared in the header of a tiny PNG (the shape of a decompression bomb).
    const tiny = await sharp({ create: { width: 8, height: 8, channels: 4, background: '#0000' } })
      .png()
      .toBuffer();
    const bomb = Buffer.from(tiny);
    bomb.writeUInt32BE(7100, 16);
    bomb.writeUInt32BE(7100, 20);
    const { crc32 } = await import('node:zlib');
    bomb.writeUInt32BE(crc32(bomb.subarray(12, 29)), 29);
    const r = await putImage(node.url, d!.env.ADMIN_TOKEN, p.barcode, 'front_clean', bomb, 'image/png');
    expect(r.status).toBe(422);
    expect(r.body.error).toBe('unprocessable_image');
    expect(r.body.message).toMatch(/50000000/);
  }, 60_000);
});
