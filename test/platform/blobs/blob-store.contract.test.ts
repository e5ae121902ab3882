// One contract, two implementations: the filesystem store and the S3 store against a local S3-compatible
// server (s3rver, test/helpers/s3-server.ts). Every case runs against both.

import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDependencyDown } from '../../../src/kernel/errors.ts';
import { loadConfig } from '../../../src/main/config.ts';
import type { BlobStore } from '../../../src/platform/blobs/blob-store.ts';
import { openBlobStore } from '../../../src/platform/blobs/open-blob-store.ts';
import { BlobStoreUnavailableError } from '../../../src/platform/blobs/s3-blob-store.ts';
import { freePort } from '../../helpers/redis-server.ts';
import { type OwnS3, startOwnS3 } from '../../helpers/s3-server.ts';
import { testSecrets } from '../../helpers/secrets.ts';

let s3: OwnS3;
let dir: string;
beforeAll(async () => {
  s3 = await startOwnS3();
  dir = await mkdtemp(path.join(os.tmpdir(), 'kc-blob-contract-'));
});
afterAll(async () => {
  await s3?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A store as the service opens it: through the config and the one factory. */
const open = (env: Record<string, string>) =>
  openBlobStore(loadConfig({ DATA_DIR: dir, NODE_ENV: 'test', ...testSecrets(), ...env }).blobs);

/** Each implementation with a lister of every stored object (FS: files under the root; S3: objects under the prefix). */
const impls: [string, () => Promise<{ store: BlobStore; listAll(): Promise<string[]> }>][] = [
  [
    'fs',
    async () => {
      const root = path.join(dir, `fs-${randomBytes(4).toString('hex')}`);
      return {
        store: await open({ BLOB_STORE_URL: `file://${root}` }),
        listAll: async () =>
          (await readdir(root, { recursive: true, withFileTypes: true }))
            .filter((d) => d.isFile())
            .map((d) => path.relative(root, path.join(d.parentPath, d.name))),
      };
    },
  ],
  [
    's3',
    async () => {
      const prefix = `p-${randomBytes(4).toString('hex')}/blobs`;
      return {
        store: await open(s3.env(prefix)),
        listAll: async () => {
          const r = await s3
            .client()
            .send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `${prefix}/`, MaxKeys: 1000 }));
          return (r.Contents ?? []).map((o) => o.Key!.slice(prefix.length + 1));
        },
      };
    },
  ],
];

async function readAll(s: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const key = () => `${randomBytes(32).toString('hex')}.small.webp`;

describe.each(impls)('BlobStore contract: %s', (name, make) => {
  let store: BlobStore;
  let listAll: () => Promise<string[]>;
  beforeAll(async () => {
    ({ store, listAll } = await make());
  });
  afterAll(async () => {
    await store?.close();
  });

  it('says what it is and answers a ping', async () => {
    expect(store.kind).toBe(name);
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('put stores bytes under their sha256 once: the same bytes twice are one blob of the same size', async () => {
    const bytes = randomBytes(10_000);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const a = await store.put(bytes);
    const b = await store.put(Buffer.from(bytes));
    expect(a).toEqual({ key: sha, sha256: sha, size: 10_000 });
    expect(b).toEqual(a);
    // One copy, at the same place in both stores (a blobs directory copied into a bucket prefix just works).
    expect((await listAll()).filter((k) => k.includes(sha))).toEqual([`${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}`]);
    expect((await store.get(sha))!.equals(bytes)).toBe(true);
  });

  it('putAt then get gives the same bytes; putAt again replaces them', async () => {
    const k = key();
    const one = randomBytes(3000);
    expect(await store.putAt(k, one)).toEqual({ key: k, size: 3000 });
    expect((await store.get(k))!.equals(one)).toBe(true);
    const two = randomBytes(1234);
    await store.putAt(k, two);
    expect((await store.get(k))!.equals(two)).toBe(true);
  });

  it('stores an empty blob', async () => {
    const k = key();
    await store.putAt(k, Buffer.alloc(0));
    expect(await store.has(k)).toBe(true);
    expect((await store.get(k))!.length).toBe(0);
  });

  it('stream returns every byte and the size', async () => {
    const k = key();
    const bytes = randomBytes(200_000);
    await store.putAt(k, bytes);
    const s = await store.stream(k);
    expect(s!.size).toBe(bytes.length);
    expect((await readAll(s!.stream)).equals(bytes)).toBe(true);
  });

  it('a stream destroyed unread or half-read leaves the store working', async () => {
    const k = key();
    await store.putAt(k, randomBytes(50_000));
    for (let i = 0; i < 20; i++) {
      const s = await store.stream(k);
      expect(s!.size).toBe(50_000);
      s!.stream.destroy();
    }
    // A stream read partly, then destroyed (a client that went away mid-download).
    const s = await store.stream(k);
    const first = await new Promise<Buffer>((resolve, reject) => {
      s!.stream.once('readable', () => resolve(s!.stream.read(16) as Buffer));
      s!.stream.once('error', reject);
    });
    expect(first.length).toBe(16);
    s!.stream.destroy();
    expect((await store.get(k))!.length).toBe(50_000);
  });

  it('has and delete; deleting a missing key is fine', async () => {
    const k = key();
    expect(await store.has(k)).toBe(false);
    await store.putAt(k, Buffer.from('x'));
    expect(await store.has(k)).toBe(true);
    await store.delete(k);
    expect(await store.has(k)).toBe(false);
    await expect(store.delete(k)).resolves.toBeUndefined();
    await expect(store.delete(key())).resolves.toBeUndefined();
  });

  it('a missing key: get and stream answer null, has false', async () => {
    const k = key();
    expect(await store.get(k)).toBeNull();
    expect(await store.stream(k)).toBeNull();
    expect(await store.has(k)).toBe(false);
  });

  it('refuses keys that are not blob keys, for every operation', async () => {
    for (const bad of ['', 'ab', '../../etc/passwd', 'a/b/cdef', 'ABCDEF', '.hidden', 'x'.repeat(202), 'abc def']) {
      await expect(store.putAt(bad, Buffer.from('x')), bad).rejects.toThrow(/invalid blob key/);
      await expect(store.get(bad), bad).rejects.toThrow(/invalid blob key/);
      await expect(store.stream(bad), bad).rejects.toThrow(/invalid blob key/);
      await expect(store.has(bad), bad).rejects.toThrow(/invalid blob key/);
      await expect(store.delete(bad), bad).rejects.toThrow(/invalid blob key/);
    }
  });

  it('round-trips a large blob (6 MiB) through get and stream', async () => {
    const bytes = randomBytes(6 * 1024 * 1024);
    const { key: k } = await store.put(bytes);
    expect((await store.get(k))!.equals(bytes)).toBe(true);
    const s = await store.stream(k);
    expect(s!.size).toBe(bytes.length);
    expect((await readAll(s!.stream)).equals(bytes)).toBe(true);
  });

  it('concurrent putAt of one key leaves a whole object, and readers meanwhile see whole objects only', async () => {
    const k = key();
    const a = Buffer.alloc(1024 * 1024, 0xaa);
    const b = Buffer.alloc(1024 * 1024, 0xbb);
    await store.putAt(k, a);
    const seen: (Buffer | null)[] = [];
    const writes = Array.from({ length: 8 }, (_, i) => store.putAt(k, i % 2 ? b : a));
    // Whole-or-nothing for one PutObject, readers and concurrent writers alike, is the S3 service's own guarantee
    // (AWS, MinIO, R2, Ceph), which our store relies on. s3rver, the test double, rewrites one file in place, so
    // concurrent writes or a read racing a write there can interleave bytes (seen in CI: a mixed final object
    // once in ~20 runs). On S3 the test therefore asks what our code decides: every putAt is one whole write, with
    // no temporary objects left, and a write after the race leaves a whole object.
    const reads = name === 'fs' ? Array.from({ length: 8 }, async () => seen.push(await store.get(k))) : [];
    await Promise.all([...writes, ...reads]);
    if (name !== 'fs') await store.putAt(k, b);
    for (const r of [...seen, await store.get(k)]) {
      expect(r).not.toBeNull();
      expect(r!.equals(a) || r!.equals(b)).toBe(true);
    }
    // No temporary or partial leftovers beside the one object.
    expect((await listAll()).filter((x) => x.includes(k.slice(0, 20)))).toHaveLength(1);
  });
});

describe('S3 blob store specifics', () => {
  it('keeps prefixes apart: a store sees only its own prefix of the bucket', async () => {
    const one = await open(s3.env('tenant-one'));
    const two = await open(s3.env('tenant-two'));
    try {
      const { key: k } = await one.put(randomBytes(100));
      expect(await one.has(k)).toBe(true);
      expect(await two.has(k)).toBe(false);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('an unreachable store fails as a dependency that is down (503 at the doors)', async () => {
    const port = await freePort(); // nothing listens there
    const dead = await open({
      ...s3.env('x'),
      BLOB_STORE_URL: `s3://kc-test/x?endpoint=http://127.0.0.1:${port}`,
    });
    try {
      for (const op of [() => dead.get(key()), () => dead.has(key()), () => dead.putAt(key(), Buffer.from('x'))]) {
        const e = await op().then(
          () => null,
          (err: unknown) => err,
        );
        expect(e).toBeInstanceOf(BlobStoreUnavailableError);
        expect(isDependencyDown(e)).toBe(true);
      }
      await expect(dead.ping()).rejects.toBeInstanceOf(BlobStoreUnavailableError);
    } finally {
      await dead.close();
    }
  });

  it('a bucket that does not exist is an error, not an empty store', async () => {
    const none = await open({ ...s3.env(), BLOB_STORE_URL: `s3://no-such-bucket/x?endpoint=${s3.endpoint}` });
    try {
      await expect(none.ping()).rejects.toThrow();
      await expect(none.putAt(key(), Buffer.from('x'))).rejects.toThrow(/blob store put failed: NoSuchBucket/);
      await expect(none.get(key())).rejects.toThrow(/NoSuchBucket/);
    } finally {
      await none.close();
    }
  });

  it('wrong credentials are an error, not a missing blob', async () => {
    // s3rver checks the access key id, not SigV4 signatures: an unknown key id is its 403.
    const wrong = await open({ ...s3.env('y'), S3_ACCESS_KEY_ID: 'NOT-A-KEY' });
    try {
      await expect(wrong.get(key())).rejects.toThrow(/blob store get failed: InvalidAccessKeyId HTTP 403/);
      await expect(wrong.has(key())).rejects.toThrow(/blob store has failed/);
      await expect(wrong.putAt(key(), Buffer.from('x'))).rejects.toThrow(/blob store put failed/);
    } finally {
      await wrong.close();
    }
  });
});
