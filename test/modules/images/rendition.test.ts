import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ByteLru } from '../../../src/modules/images/byte-lru.ts';
import { sniff } from '../../../src/modules/images/magic-bytes.ts';
import { render } from '../../../src/modules/images/media.ts';
import { RenditionService } from '../../../src/modules/images/rendition.service.ts';
import { FsBlobStore } from '../../../src/platform/blobs/fs-blob-store.ts';
import { picture } from '../../helpers/testkit.ts';

const viewer = { clientId: 'cl_test', tier: 'standard' as const, grantId: 'grt_test' };

describe('renditions', () => {
  let dir: string;
  let blobs: FsBlobStore;
  let sourceKey: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'kc-rendition-'));
    blobs = new FsBlobStore(dir);
    sourceKey = (await blobs.put(await picture(900, 600, 'jpeg'))).key;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('renders a derivative once for concurrent first requests, keeps it in the blob store, and reuses it across processes', async () => {
    const a = new RenditionService(blobs, { cacheBytes: 64 * 1024 * 1024 });
    const out = await Promise.all(Array.from({ length: 10 }, () => a.get(sourceKey, 'medium', 'webp', viewer)));
    expect(a.renders).toBe(1);
    expect(new Set(out.map((r) => r.etag)).size).toBe(1);
    expect(sniff(out[0].bytes!)).toBe('webp');
    expect(await blobs.has(`${sourceKey}.medium.webp`)).toBe(true);
    // Another node (fresh memory) finds the stored derivative and does not render again.
    const b = new RenditionService(blobs, { cacheBytes: 64 * 1024 * 1024 });
    const again = await b.get(sourceKey, 'medium', 'webp', viewer);
    expect(b.renders).toBe(0);
    expect(again.bytes!.equals(out[0].bytes!)).toBe(true);
  });

  it('keys the Free-tier watermark and a client mark into the stored rendition', async () => {
    const calls: string[] = [];
    const s = new RenditionService(blobs, {
      cacheBytes: 64 * 1024 * 1024,
      marker: {
        keyPart: (v) => `m-${v.clientId}`,
        render: (v, source, spec) => {
          calls.push(v.clientId);
          return render(source, { maxSide: spec.maxSide, format: spec.format });
        },
      },
    });
    await s.get(sourceKey, 'thumb', 'png', { ...viewer, tier: 'free' });
    expect(await blobs.has(`${sourceKey}.thumb.png.wm.m-cl_test`)).toBe(true);
    expect(calls).toEqual(['cl_test']);
  });

  it('streams a stored rendition too big for the memory cache instead of buffering it', async () => {
    const s = new RenditionService(blobs, { cacheBytes: 8 * 1024 }); // items over 1 KiB are not cached
    const r = await s.get(sourceKey, 'original', 'original', viewer);
    expect(r.bytes).toBeUndefined();
    const chunks: Buffer[] = [];
    for await (const c of r.stream!) chunks.push(c as Buffer);
    const all = Buffer.concat(chunks);
    expect(all.length).toBe(r.length);
    expect(all.equals((await blobs.get(sourceKey))!)).toBe(true);
    expect(r.contentType).toBe('image/jpeg');
  });

  it('bounds the LRU by bytes and evicts the least recently used', () => {
    const lru = new ByteLru<{ bytes: Buffer }>(300, 200);
    lru.set('a', { bytes: Buffer.alloc(100) });
    lru.set('b', { bytes: Buffer.alloc(100) });
    lru.get('a');
    lru.set('c', { bytes: Buffer.alloc(150) });
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBeDefined();
    expect(lru.bytes).toBeLessThanOrEqual(300);
    lru.set('huge', { bytes: Buffer.alloc(250) });
    expect(lru.get('huge')).toBeUndefined();
  });
});
