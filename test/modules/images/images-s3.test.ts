// Images end to end on the S3 blob store (a local s3rver, test/helpers/s3-server.ts): ingest puts the master in
// the bucket, paid reads sign URLs, redemption renders marked renditions into the bucket, the rendition-space
// bound deletes from it, and a second node with its own DATA_DIR delivers what the first ingested. An
// unreachable store is a clean 503 that leaves the paid URL unused.

import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sniff } from '../../../src/modules/images/magic-bytes.ts';
import type { TestApp } from '../../helpers/app.ts';
import { cliJson, runNpm } from '../../helpers/cli.ts';
import { call } from '../../helpers/http.ts';
import { type Deployment, startNodes } from '../../helpers/nodes.ts';
import { freePort } from '../../helpers/redis-server.ts';
import { type OwnS3, startOwnS3 } from '../../helpers/s3-server.ts';
import { picture, putImage, type SignedInClient, seed } from '../../helpers/testkit.ts';

const PREFIX = 'deploy-1/blobs';

describe('images on the S3 blob store', () => {
  let s3: OwnS3;
  let deployment: Deployment<TestApp>;
  let app: TestApp;
  let client: SignedInClient;
  let product: { barcode: string; gtin14: string };
  let masterKey: string;
  /** The deployment's configuration (database, Redis, secrets, bucket) without a DATA_DIR: what the admin CLI gets. */
  let shared: Record<string, string>;

  async function objects(): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < 50; page++) {
      const r = await s3
        .client()
        .send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `${PREFIX}/`, ContinuationToken: token }));
      keys.push(...(r.Contents ?? []).map((o) => o.Key!.split('/').pop()!));
      if (!r.IsTruncated) break;
      token = r.NextContinuationToken;
    }
    return keys;
  }

  async function imageUrl(node: TestApp, query: string): Promise<string> {
    const r = await call(node.url, `/api/v1/products/${product.barcode}?include=images&variants=front&${query}`, {
      token: client.accessToken,
    });
    expect(r.status).toBe(200);
    return r.body.images.front as string;
  }

  beforeAll(async () => {
    s3 = await startOwnS3();
    deployment = await startNodes(1, { env: s3.env(PREFIX) });
    [app] = deployment.nodes;
    const { DATA_DIR: _own, ...rest } = app.env;
    shared = rest;
    client = await seed(app).client({ credits: 50 });
    product = await seed(app).product({ images: { front: await picture(480, 360, 'jpeg') } });
    [{ blob_key: masterKey }] = await app.db.sql<
      { blob_key: string }[]
    >`select blob_key from product_images where gtin14 = ${product.gtin14} and variant = 'front'`;
  });
  afterAll(async () => {
    await deployment?.close();
    await s3?.stop();
  });

  it('ingest stores the master in the bucket, nothing under DATA_DIR; health names the store', async () => {
    expect(await objects()).toContain(masterKey);
    await expect(readdir(path.join(app.config.dataDir, 'blobs'))).rejects.toMatchObject({ code: 'ENOENT' });
    const h = await call(app.url, '/api/v1/health');
    expect(h.status).toBe(200);
    expect(h.body.checks).toMatchObject({ blob_store: 's3', blobs: 'ok' });
  });

  it('delivers the original and a resized WebP through one-shot signed URLs; renditions land in the bucket', async () => {
    const original = await fetch(await imageUrl(app, ''));
    expect(original.status).toBe(200);
    expect(original.headers.get('content-type')).toBe('image/jpeg');
    const o = Buffer.from(await original.arrayBuffer());
    expect(sniff(o)).toBe('jpeg');
    expect(Number(original.headers.get('content-length'))).toBe(o.length);

    const url = await imageUrl(app, 'image_size=small&image_format=webp');
    const small = await fetch(url);
    expect(small.status).toBe(200);
    expect(small.headers.get('content-type')).toBe('image/webp');
    expect(sniff(Buffer.from(await small.arrayBuffer()))).toBe('webp');
    expect((await fetch(url)).status).toBe(410); // one-shot, on S3 as on disk

    // Every delivered rendition is client-marked: one object per (image, size, format, client mark).
    const stored = await objects();
    expect(stored.some((k) => k.startsWith(`${masterKey}.original.original.mk-`))).toBe(true);
    expect(stored.some((k) => k.startsWith(`${masterKey}.small.webp.mk-`))).toBe(true);
  });

  it('a second node with its own DATA_DIR and the same bucket delivers an image the first ingested', async () => {
    const second = await deployment.add();
    try {
      expect(second.config.dataDir).not.toBe(app.config.dataDir);
      const url = await imageUrl(second, 'image_size=thumb&image_format=png');
      const r = await fetch(url);
      expect(r.status).toBe(200);
      expect(sniff(Buffer.from(await r.arrayBuffer()))).toBe('png');
      // The first node sees the URL as used (shared state) and the rendition in the bucket (shared store).
      expect((await fetch(url.replace(second.url, app.url))).status).toBe(410);
      expect((await objects()).some((k) => k.startsWith(`${masterKey}.thumb.png.mk-`))).toBe(true);
      await expect(readdir(path.join(second.config.dataDir, 'blobs'))).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await second.close();
    }
  });

  it('the admin CLI imports into the bucket too (it opens the store the same way as the server)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kc-s3-import-'));
    try {
      const bytes = await picture(240, 180, 'png', { alpha: true });
      await writeFile(path.join(dir, `${product.barcode}_front_clean.png`), bytes);
      const r = cliJson(await runNpm(['admin', '--', 'import-images', dir], { ...shared, DATA_DIR: dir }, 90_000));
      expect(r).toMatchObject({ stored: 1, failed: [] });
      const [row] = await app.db.sql<
        { blob_key: string }[]
      >`select blob_key from product_images where gtin14 = ${product.gtin14} and variant = 'front_clean'`;
      expect(await objects()).toContain(row.blob_key);
      expect((await readdir(dir)).filter((f) => f !== `${product.barcode}_front_clean.png`)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps the marked renditions in the bucket within MARKED_CACHE_MB, deleting the oldest objects', async () => {
    const limit = 0.05 * 1024 * 1024;
    const small = await deployment.add({ MARKED_CACHE_MB: '0.05' });
    try {
      let delivered = 0;
      for (const format of ['png', 'jpeg', 'webp']) {
        const r = await fetch(await imageUrl(small, `image_size=medium&image_format=${format}`));
        expect(r.status).toBe(200);
        delivered += (await r.arrayBuffer()).byteLength;
      }
      expect(delivered).toBeGreaterThan(limit); // so something had to go
      // Eviction runs after the response; poll for it with headroom.
      let usage = { n: 0, bytes: Number.POSITIVE_INFINITY };
      for (let i = 0; i < 300 && usage.bytes > limit; i++) {
        await new Promise((r) => setTimeout(r, 100));
        [usage] = await app.db.sql<
          { n: number; bytes: number }[]
        >`select count(*)::int as n, coalesce(sum(bytes), 0)::float8 as bytes from rendition_blobs`;
      }
      expect(usage.bytes).toBeLessThanOrEqual(limit);
      // What the bound deleted is gone from the bucket: only tracked renditions (and the master) remain.
      const tracked = new Set(
        (await app.db.sql<{ blob_key: string }[]>`select blob_key from rendition_blobs`).map((r) => r.blob_key),
      );
      const stored = await objects();
      expect(stored).toContain(masterKey);
      const renditions = stored.filter((k) => k.includes('.'));
      expect(renditions.length).toBeGreaterThan(0);
      expect(renditions.filter((k) => !tracked.has(k))).toEqual([]);
      // An evicted rendition is rendered again on the next request.
      expect((await fetch(await imageUrl(small, 'image_size=small&image_format=webp'))).status).toBe(200);
    } finally {
      await small.close();
    }
  });

  it('an unreachable store: 503 with Retry-After and no internals, the URL stays good, health says down', async () => {
    const port = await freePort(); // nothing listens there
    const cut = await deployment.add({
      BLOB_STORE_URL: `s3://${s3.bucket}/${PREFIX}?endpoint=http://127.0.0.1:${port}`,
    });
    try {
      // A rendition nobody asked for yet, so the node must reach the store (its memory cache is empty anyway).
      const url = await imageUrl(cut, 'image_size=large&image_format=avif');
      const r = await fetch(url);
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toBe('5');
      const body = await r.json();
      expect(body.error).toBe('service_unavailable');
      expect(JSON.stringify(body)).not.toMatch(/s3|bucket|ECONNREFUSED|127\.0\.0\.1|blob/i);
      // Not burned: the same URL redeems on a node that reaches the store.
      const ok = await fetch(url.replace(cut.url, app.url));
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toBe('image/avif');

      const ingest = await putImage(
        cut.url,
        cut.adminToken,
        product.barcode,
        'back',
        await picture(200, 150, 'jpeg'),
        'image/jpeg',
      );
      expect(ingest.status).toBe(503);
      expect(JSON.stringify(ingest.body)).not.toMatch(/s3|bucket|ECONNREFUSED|127\.0\.0\.1/i);

      const h = await call(cut.url, '/api/v1/health');
      expect(h.status).toBe(200); // informational: the catalog still works
      expect(h.body.checks).toMatchObject({ blob_store: 's3', blobs: 'down', database: 'ok' });
    } finally {
      await cut.close();
    }
  });
});
