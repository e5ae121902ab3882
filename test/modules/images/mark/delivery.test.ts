// The invisible client mark end to end over HTTP: clients buy image URLs through real paid reads, redeem them, and every
// delivered rendition carries that client's invisible mark (PSNR ≥ 40 dB against the unmarked rendition);
// POST /admin/v1/identify (and the admin CLI) names the client from an attacked copy, among 1,000+ clients.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientMarker } from '../../../../src/modules/images/mark/mark-client-marker.ts';
import { markNumberOf } from '../../../../src/modules/images/mark/mark-payload.ts';
import { decodeRaw, type RawImage } from '../../../../src/modules/images/mark/mark-raster.ts';
import { render } from '../../../../src/modules/images/media.ts';
import { RenditionService } from '../../../../src/modules/images/rendition.service.ts';
import { FsBlobStore } from '../../../../src/platform/blobs/fs-blob-store.ts';
import type { TestApp } from '../../../helpers/app.ts';
import { call } from '../../../helpers/http.ts';
import { productShot } from '../../../helpers/mark-fixtures.ts';
import { type Deployment, startNodes } from '../../../helpers/nodes.ts';
import { checkAgainstSpec, useStrictOpenApi } from '../../../helpers/openapi.ts';
import { repoRoot as root } from '../../../helpers/paths.ts';
import { picture, type SignedInClient, seed } from '../../../helpers/testkit.ts';

// Everything that decides what the mark reads is fixed: the mark key, the product shots, the bulk client ids
// (the provisioned clients' ids come from the server's id generator; see the bulk insert for how a number
// shared by chance is kept out of the exact-candidates assertion).
const fixed = (label: string) => createHash('sha256').update(`mark-delivery ${label}`).digest();
const MARK_KEYS = `m1:${fixed('mark key m1').toString('base64url')}`;
const SHOT_SEED = 4100;

// Timeouts with headroom for a loaded 2-core machine: an identification over HTTP takes 1.2–2.5 s quiet.
const HEAVY = 120_000;
const CLI = 240_000;

function psnr(a: RawImage, b: RawImage): number {
  let se = 0,
    n = 0;
  for (let p = 0; p < a.width * a.height; p++)
    for (let c = 0; c < 3; c++) {
      const d = a.data[p * a.channels + c] - b.data[p * b.channels + c];
      se += d * d;
      n++;
    }
  return se === 0 ? Infinity : 10 * Math.log10((255 * 255) / (se / n));
}

const ATTACKS: Record<string, (b: Buffer) => Promise<Buffer>> = {
  'JPEG q70': (b) => sharp(b).jpeg({ quality: 70 }).toBuffer(),
  'resize to 400 px': (b) => sharp(b).resize(400, 400, { fit: 'inside' }).jpeg({ quality: 85 }).toBuffer(),
  'crop 10 % from the edges': async (b) => {
    const m = await sharp(b).metadata();
    const l = Math.round(m.width! * 0.1),
      t = Math.round(m.height! * 0.1);
    return sharp(b)
      .extract({ left: l, top: t, width: m.width! - 2 * l, height: m.height! - 2 * t })
      .png()
      .toBuffer();
  },
};

describe('client-marked delivery and identification', () => {
  let deployment: Deployment<TestApp>;
  let app: TestApp;
  let a: SignedInClient, b: SignedInClient, free: SignedInClient;
  let p1: { barcode: string; gtin14: string },
    p2: { barcode: string; gtin14: string },
    seeded: { barcode: string; gtin14: string };
  const timings: string[] = [];

  /** A paid read of one image URL, then its redemption; returns the delivered bytes and the redemption time. */
  async function fetchImage(
    c: SignedInClient,
    barcode: string,
    q: { size?: string; format?: string; variant?: string } = {},
  ) {
    const qs = new URLSearchParams({
      include: 'images',
      variants: q.variant ?? 'front',
      ...(q.size ? { image_size: q.size } : {}),
      ...(q.format ? { image_format: q.format } : {}),
    });
    const read = await call(app.url, `/api/v1/products/${barcode}?${qs}`, { token: c.accessToken });
    expect(read.status).toBe(200);
    const url = read.body.images[q.variant ?? 'front'] as string;
    const t = performance.now();
    const r = await fetch(url);
    const bytes = Buffer.from(await r.arrayBuffer());
    const ms = performance.now() - t;
    expect(r.status).toBe(200);
    return { bytes, ms, contentType: r.headers.get('content-type') };
  }

  const identify = (bytes: Buffer, query = '', contentType = 'image/jpeg') =>
    fetch(`${app.url}/admin/v1/identify${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${app.adminToken}`, 'content-type': contentType },
      body: new Uint8Array(bytes),
    }).then(async (r) => {
      const body = await r.json();
      // Raw fetch (binary body), so the OpenAPI response check call() does is done here.
      checkAgainstSpec({
        method: 'POST',
        path: `/admin/v1/identify${query}`,
        status: r.status,
        headers: r.headers,
        body,
      });
      return { status: r.status, body };
    });

  async function master(gtin14: string, variant = 'front'): Promise<Buffer> {
    const [row] = await app.db.sql<
      { blob_key: string }[]
    >`select blob_key from product_images where gtin14 = ${gtin14} and variant = ${variant}`;
    return (await app.service.infra.blobs.get(row.blob_key))!;
  }

  beforeAll(async () => {
    useStrictOpenApi();
    deployment = await startNodes(1, { env: { IMAGE_MARK_KEYS: MARK_KEYS } });
    [app] = deployment.nodes;
    const [s1, s2, s3] = await Promise.all([
      productShot(SHOT_SEED + 1),
      productShot(SHOT_SEED + 2, 1000, 760),
      productShot(SHOT_SEED + 3),
    ]);
    p1 = await seed(app).product({ images: { front: s1.jpeg, front_clean: s1.cutout } });
    p2 = await seed(app).product({ images: { front: s2.jpeg } });
    seeded = await seed(app).product();
    // Written the way the seed writes images: straight into the table, no hashes (identification backfills).
    const blob = await app.service.infra.blobs.put(s3.jpeg);
    await app.db
      .sql`insert into product_images (gtin14, variant, format, content_type, width, height, file_size_bytes, sha256, blob_key)
      values (${seeded.gtin14}, 'front', 'jpeg', 'image/jpeg', 1000, 1000, ${s3.jpeg.length}, ${blob.sha256}, ${blob.key})`;
    [a, b, free] = await Promise.all([
      seed(app).client({ credits: 100 }),
      seed(app).client({ credits: 100 }),
      seed(app).client({ tier: 'free', credits: 100 }),
    ]);
    // 1,000 more clients in the directory the mark numbers map back to. Fixed ids; one that happens to share a
    // 20-bit mark number with a or b (odds ~1/500 per run with random ids) is replaced by the next label, so
    // "exactly one candidate" below is asserted on every run rather than holding by chance.
    const taken = new Set([a, b].map((c) => markNumberOf(c.clientId)));
    const bulk: string[] = [];
    for (let i = 0; bulk.length < 1000; i++) {
      const id = `cli_bulk_${fixed(`bulk client ${i}`).toString('hex').slice(0, 12)}`;
      if (!taken.has(markNumberOf(id))) bulk.push(id);
    }
    const acct = 'acc_bulk_mark_delivery';
    await app.db.sql`insert into accounts (account_id, name) values (${acct}, 'bulk')`;
    await app.db.sql`insert into api_clients (client_id, account_id, name, tier)
      select id, ${acct}, 'bulk ' || id, 'standard' from unnest(${bulk}::text[]) as id`;
  });
  afterAll(async () => {
    if (timings.length) console.log(`[markwire] ${timings.join('; ')}`);
    await deployment?.close();
  });

  it('stores perceptual hashes at upload', async () => {
    const rows = await app.db.sql<
      { variant: string; phash: { frame: string; content: string; onBlack?: unknown } | null; current: boolean }[]
    >`
      select variant, phash, phash_sha256 = sha256 as current from product_images where gtin14 = ${p1.gtin14} order by variant`;
    expect(rows.map((r) => r.variant)).toEqual(['front', 'front_clean']);
    for (const r of rows) {
      expect(r.current).toBe(true);
      expect(r.phash!.frame).toMatch(/^[0-9a-f]{16}$/);
    }
    expect(rows[1].phash!.onBlack).toBeDefined(); // the cut-out is also hashed on black
  });

  it(
    'marks every delivery: invisible (PSNR ≥ 40 dB vs the unmarked rendition), different per client, cached per client',
    async () => {
      const src = await master(p1.gtin14);
      const plain = await decodeRaw(await render(src, { maxSide: null, format: 'jpeg' }));
      const da = await fetchImage(a, p1.barcode);
      const db = await fetchImage(b, p1.barcode);
      expect(da.contentType).toBe('image/jpeg');
      const ra = await decodeRaw(da.bytes);
      expect([ra.width, ra.height]).toEqual([plain.width, plain.height]);
      const dbA = psnr(plain, ra);
      expect(dbA).toBeGreaterThanOrEqual(40);
      expect(dbA).toBeLessThan(70); // the mark is there
      expect(psnr(plain, await decodeRaw(db.bytes))).toBeGreaterThanOrEqual(40);
      expect(da.bytes.equals(db.bytes)).toBe(false);
      // Same client again: the cached marked rendition, byte for byte.
      const again = await fetchImage(a, p1.barcode);
      expect(again.bytes.equals(da.bytes)).toBe(true);
      timings.push(
        `JPEG 1000x1000 original: PSNR ${dbA.toFixed(1)} dB; first delivery ${da.ms.toFixed(0)} ms, cached repeat ${again.ms.toFixed(0)} ms`,
      );

      // Cut-out as PNG: the alpha channel is exactly the unmarked one's.
      const cut = await fetchImage(a, p1.barcode, { variant: 'front_clean', format: 'png' });
      const cutPlain = await decodeRaw(
        await render(await master(p1.gtin14, 'front_clean'), { maxSide: null, format: 'png' }),
      );
      const cutMarked = await decodeRaw(cut.bytes);
      expect(cutMarked.channels).toBe(4);
      let alphaDiff = 0;
      for (let p = 0; p < cutPlain.width * cutPlain.height; p++)
        if (cutPlain.data[p * 4 + 3] !== cutMarked.data[p * 4 + 3]) alphaDiff++;
      expect(alphaDiff).toBe(0);
      expect(psnr(cutPlain, cutMarked)).toBeGreaterThanOrEqual(40);
    },
    HEAVY,
  );

  describe('identifies the client from attacked copies among 1,000+ clients', () => {
    let da: { bytes: Buffer }, db: { bytes: Buffer };
    beforeAll(async () => {
      da = await fetchImage(a, p2.barcode, { size: 'large' });
      db = await fetchImage(b, p2.barcode, { size: 'large' });
      const count = await app.db.sql<{ n: number }[]>`select count(*)::int as n from api_clients`;
      expect(count[0].n).toBeGreaterThanOrEqual(1003);
    });

    it.each(Object.keys(ATTACKS))(
      '%s: both clients, each the only candidate',
      async (name) => {
        for (const [who, d] of [
          [a, da],
          [b, db],
        ] as const) {
          const t = performance.now();
          const r = await identify(await ATTACKS[name](d.bytes));
          timings.push(`identify ${name}: ${(performance.now() - t).toFixed(0)} ms`);
          expect(r.status).toBe(200);
          expect({ name, barcode: r.body.barcode, variant: r.body.variant, client: r.body.client_id }).toEqual({
            name,
            barcode: p2.barcode,
            variant: 'front',
            client: who.clientId,
          });
          expect(r.body.confidence).toBeGreaterThan(0.99);
          expect(r.body.mark.candidates).toEqual([who.clientId]);
          expect(r.body.request_id).toMatch(/^req_/);
        }
      },
      HEAVY,
    );
  });

  it(
    'names the grant when the client was issued this image once',
    async () => {
      const c = await seed(app).client({ credits: 10 });
      const d = await fetchImage(c, p2.barcode, { size: 'medium', format: 'webp' });
      const r = await identify(await ATTACKS['JPEG q70'](d.bytes));
      expect(r.body.client_id).toBe(c.clientId);
      const grants = await app.db.sql<
        { grant_id: string }[]
      >`select grant_id from image_grants where client_id = ${c.clientId}`;
      expect(grants).toHaveLength(1);
      expect(r.body.grant_id).toBe(grants[0].grant_id);
    },
    HEAVY,
  );

  it(
    'identifies a Free-tier copy under its visible watermark',
    async () => {
      const d = await fetchImage(free, p1.barcode, { size: 'medium' });
      const plain = await decodeRaw(await render(await master(p1.gtin14), { maxSide: 800, format: 'jpeg' }));
      expect(psnr(plain, await decodeRaw(d.bytes))).toBeLessThan(35); // the visible watermark is there
      const r = await identify(await ATTACKS['JPEG q70'](d.bytes));
      expect(r.status).toBe(200);
      expect({ barcode: r.body.barcode, client: r.body.client_id }).toEqual({
        barcode: p1.barcode,
        client: free.clientId,
      });
    },
    HEAVY,
  );

  it(
    'says no mark for an unmarked catalog image, unknown image for a stranger, and uses the ?barcode&variant hint',
    async () => {
      const plain = await render(await master(p1.gtin14), { maxSide: 400, format: 'jpeg' });
      const r = await identify(plain);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        barcode: p1.barcode,
        variant: 'front',
        client_id: null,
        grant_id: null,
        confidence: null,
        mark: null,
      });
      // A picture that is not from the catalog: no product, no client.
      const photo = await sharp({
        create: {
          width: 640,
          height: 480,
          channels: 3,
          background: { r: 90, g: 140, b: 60 },
          noise: { type: 'gaussian', mean: 120, sigma: 40 },
        },
      })
        .blur(3)
        .composite([{ input: await picture(640, 480, 'png', { alpha: true }) }])
        .jpeg({ quality: 85 })
        .toBuffer();
      const stranger = await identify(photo);
      expect(stranger.status).toBe(200);
      expect(stranger.body).toMatchObject({ barcode: null, variant: null, client_id: null, mark: null });
      // A look-alike package from the same studio generator may be taken for a catalog product (see the report),
      // but it carries no mark, so it is never attributed to a client.
      const lookalike = await identify((await productShot(60_077, 700, 700)).jpeg);
      expect(lookalike.status).toBe(200);
      expect(lookalike.body).toMatchObject({ client_id: null, mark: null });
      const d = await fetchImage(b, p1.barcode, { size: 'small' });
      const hinted = await identify(d.bytes, `?barcode=${p1.barcode}&variant=front`);
      expect(hinted.body).toMatchObject({ barcode: p1.barcode, client_id: b.clientId, image_similarity: null });
      expect((await identify(d.bytes, `?barcode=${p1.barcode}`)).status).toBe(400);
      expect((await identify(d.bytes, `?barcode=${p2.barcode}&variant=back`)).body.error).toBe('not_found');
    },
    HEAVY,
  );

  it(
    'finds images written without hashes (seed path) by hashing them lazily, and stores the hashes',
    async () => {
      const plain = await render(await master(seeded.gtin14), { maxSide: 400, format: 'jpeg' });
      const r = await identify(plain);
      expect(r.body).toMatchObject({ barcode: seeded.barcode, client_id: null });
      const [row] = await app.db.sql<
        { current: boolean }[]
      >`select phash_sha256 = sha256 as current from product_images where gtin14 = ${seeded.gtin14}`;
      expect(row.current).toBe(true);
    },
    HEAVY,
  );

  it('rejects what is not an image with a clear 4xx, and needs the admin token', async () => {
    const junk = await identify(Buffer.from('definitely not an image'), '', 'image/png');
    expect(junk.status).toBe(422);
    expect(junk.body.error).toBe('unprocessable_image');
    const text = await identify(Buffer.from('hello'), '', 'text/plain');
    expect(text).toMatchObject({ status: 415, body: { error: 'unsupported_media_type' } });
    const empty = await identify(Buffer.alloc(0));
    expect(empty).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    const anon = await call(app.url, '/admin/v1/identify', { body: 'x', headers: { 'content-type': 'image/jpeg' } });
    expect(anon.status).toBe(401);
  });

  it(
    'the admin CLI identifies a leaked file the same way',
    async () => {
      const d = await fetchImage(a, p1.barcode, { size: 'small', format: 'webp' });
      const dir = await mkdtemp(path.join(os.tmpdir(), 'kc-identify-'));
      try {
        const file = path.join(dir, 'leak.jpg');
        await writeFile(file, await ATTACKS['JPEG q70'](d.bytes));
        const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/cli/admin.cli.ts', 'identify', file], {
          cwd: root,
          encoding: 'utf8',
          timeout: 100_000,
          env: {
            PATH: process.env.PATH ?? '',
            NODE_ENV: 'test',
            DATABASE_URL: app.db.url,
            DATA_DIR: app.env.DATA_DIR,
            LOG_LEVEL: 'silent',
            ...app.env,
          },
        });
        expect(run.status, run.stderr).toBe(0);
        const out = JSON.parse(run.stdout);
        expect(out).toMatchObject({ barcode: p1.barcode, variant: 'front', client_id: a.clientId });
        const missing = spawnSync(
          process.execPath,
          ['--import', 'tsx', 'src/main/cli/admin.cli.ts', 'identify', path.join(dir, 'nope.jpg')],
          {
            cwd: root,
            encoding: 'utf8',
            timeout: 100_000,
            env: { PATH: process.env.PATH ?? '', ...app.env },
          },
        );
        expect(missing.status).toBe(1);
        expect(missing.stderr).toMatch(/bad_request/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    CLI,
  );

  it(
    'keeps the rendition blobs within MARKED_CACHE_MB (a second node of the deployment with a tiny bound)',
    async () => {
      const small = await deployment.add({ MARKED_CACHE_MB: '0.25' }, { dataDir: app.env.DATA_DIR });
      try {
        const c = await seed(small).client({ credits: 50 });
        const limit = 0.25 * 1024 * 1024;
        let delivered = 0;
        for (const format of ['png', 'jpeg', 'webp', 'avif']) {
          const r = await call(
            small.url,
            `/api/v1/products/${p1.barcode}?include=images&variants=front&image_format=${format}`,
            { token: c.accessToken },
          );
          const img = await fetch(r.body.images.front);
          expect(img.status).toBe(200);
          delivered += (await img.arrayBuffer()).byteLength;
        }
        expect(delivered).toBeGreaterThan(limit); // so something had to go
        const t0 = performance.now();
        let usage = { n: 0, bytes: Infinity };
        // Eviction runs after the response; poll for it with headroom (it takes well under a second when quiet).
        for (let i = 0; i < 300 && usage.bytes > limit; i++) {
          await new Promise((r) => setTimeout(r, 100));
          [usage] = await app.db.sql<
            { n: number; bytes: number }[]
          >`select count(*)::int as n, coalesce(sum(bytes), 0)::float8 as bytes from rendition_blobs`;
        }
        expect(usage.bytes).toBeLessThanOrEqual(limit);
        timings.push(
          `bound reached after ${(performance.now() - t0).toFixed(0)} ms (${usage.n} renditions, ${usage.bytes} bytes)`,
        );
        // The evicted files are gone from the store: only tracked renditions (and masters) remain on disk.
        const keys = new Set(
          (await app.db.sql<{ blob_key: string }[]>`select blob_key from rendition_blobs`).map((r) => r.blob_key),
        );
        const files: string[] = [];
        for (const a1 of await readdir(path.join(app.env.DATA_DIR, 'blobs')))
          for (const a2 of await readdir(path.join(app.env.DATA_DIR, 'blobs', a1)))
            files.push(...(await readdir(path.join(app.env.DATA_DIR, 'blobs', a1, a2))));
        const renditionFiles = files.filter((f) => f.includes('.'));
        expect(renditionFiles.length).toBeGreaterThan(0);
        expect(renditionFiles.every((f) => keys.has(f))).toBe(true);
        // An evicted rendition is simply rendered again.
        const again = await call(
          small.url,
          `/api/v1/products/${p1.barcode}?include=images&variants=front&image_format=png`,
          { token: c.accessToken },
        );
        expect((await fetch(again.body.images.front)).status).toBe(200);
      } finally {
        await small.close();
      }
    },
    HEAVY,
  );

  it(
    'measures the first (uncached) marked 1000x1000 JPEG and PNG delivery against unmarked',
    async () => {
      const src = await master(p1.gtin14);
      const key = { kid: 'm1', secret: app.env.IMAGE_MARK_KEYS.slice(3) };
      const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
      for (const format of ['jpeg', 'png'] as const) {
        const first: number[] = [],
          cached: number[] = [],
          plain: number[] = [],
          marked: number[] = [];
        for (let i = 0; i < 3; i++) {
          const c = await seed(app).client({ credits: 10 });
          const d = await fetchImage(c, p1.barcode, { format });
          const again = await fetchImage(c, p1.barcode, { format });
          expect(again.bytes.equals(d.bytes)).toBe(true);
          first.push(d.ms);
          cached.push(again.ms);
          // The same rendition path in-process, first request each time (fresh blob store), with and without the mark.
          for (const [marker, out] of [
            [undefined, plain],
            [createClientMarker(key), marked],
          ] as const) {
            const dir = await mkdtemp(path.join(os.tmpdir(), 'kc-rend-'));
            try {
              const blobs = new FsBlobStore(dir);
              const { key: srcKey } = await blobs.put(src);
              const svc = new RenditionService(blobs, { cacheBytes: 64 << 20, marker });
              const t = performance.now();
              await svc.get(srcKey, 'original', format, { clientId: c.clientId, tier: 'standard', grantId: 'grt_x' });
              out.push(performance.now() - t);
            } finally {
              await rm(dir, { recursive: true, force: true });
            }
          }
        }
        timings.push(
          `${format} 1000x1000 (medians of 3): via HTTP first marked ${median(first).toFixed(0)} ms, cached repeat ${median(cached).toFixed(0)} ms; ` +
            `rendition service first render unmarked ${median(plain).toFixed(0)} ms vs marked ${median(marked).toFixed(0)} ms`,
        );
      }
    },
    HEAVY,
  );
});
