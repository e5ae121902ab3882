// The blob store (docs/operations.md#blob-store): image masters and renditions. Unset: files under
// <DATA_DIR>/blobs, right for one node; several nodes share an S3-compatible bucket instead.
import path from 'node:path';
import { z } from 'zod';
import { configSection, type SectionValue } from '../config/section.ts';

/** Where image bytes live (docs/operations.md#blob-store): parsed from BLOB_STORE_URL. */
export type BlobStoreLocation =
  | { kind: 'fs'; root: string }
  | {
      kind: 's3';
      bucket: string;
      /** Key prefix inside the bucket, without leading or trailing slash ('' = the bucket's root). */
      prefix: string;
      /** S3-compatible endpoint (MinIO, R2, Ceph …); unset = AWS S3 of `region`. */
      endpoint?: string;
      region: string;
      forcePathStyle: boolean;
    };

const S3_PARAMS = new Set(['endpoint', 'region', 'forcePathStyle']);

/**
 * `s3://bucket/prefix?endpoint=http://host:9000&region=us-east-1&forcePathStyle=true` or `file:///absolute/dir`.
 * Credentials never go in the URL (it is logged): S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY or the AWS chain.
 */
const blobStoreUrl = z.string().transform((s, ctx): BlobStoreLocation => {
  const fail = (message: string) => {
    ctx.addIssue({ code: 'custom', message: `BLOB_STORE_URL: ${message}` });
    return z.NEVER;
  };
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return fail('not a URL; expected s3://bucket/prefix?endpoint=…&region=… or file:///absolute/dir');
  }
  if (u.username || u.password)
    return fail('credentials do not belong in the URL; use S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY');
  if (u.protocol === 'file:') {
    if (u.host || u.search) return fail('file URLs are file:///absolute/dir (no host, no query)');
    let root: string;
    try {
      root = decodeURIComponent(u.pathname);
    } catch {
      return fail('the file path is not valid percent-encoding');
    }
    if (root === '/' || root === '') return fail('file:// needs a directory');
    return { kind: 'fs', root };
  }
  if (u.protocol !== 's3:') return fail(`unsupported scheme ${u.protocol} (s3: or file:)`);
  const bucket = u.hostname;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) return fail(`"${bucket}" is not a valid bucket name`);
  if (u.port) return fail('the bucket takes no port; put host:port in the endpoint parameter');
  // From the text as written: URL parsing would quietly resolve `a/../b` to `b`.
  const rawPath = s.replace(/^s3:\/\/[^/?#]*/i, '').split(/[?#]/)[0];
  const prefix = rawPath.replace(/^\/+|\/+$/g, '');
  if (
    prefix &&
    (!/^[A-Za-z0-9._/-]{1,512}$/.test(prefix) || prefix.split('/').some((p) => p === '' || p === '.' || p === '..'))
  )
    return fail('the prefix may hold letters, digits and . _ - / (no empty, . or .. segments)');
  for (const k of u.searchParams.keys())
    if (!S3_PARAMS.has(k)) return fail(`unknown parameter "${k}" (endpoint, region, forcePathStyle)`);
  const endpoint = u.searchParams.get('endpoint') ?? undefined;
  if (endpoint !== undefined) {
    let e: URL;
    try {
      e = new URL(endpoint);
    } catch {
      return fail('endpoint must be an http(s) URL such as http://127.0.0.1:9000');
    }
    if (
      (e.protocol !== 'http:' && e.protocol !== 'https:') ||
      e.username ||
      e.password ||
      (e.pathname !== '/' && e.pathname)
    )
      return fail('endpoint must be an http(s) URL such as http://127.0.0.1:9000 (no path, no credentials)');
  }
  const region = u.searchParams.get('region') ?? 'us-east-1';
  if (!/^[a-z0-9-]{2,32}$/.test(region)) return fail(`"${region}" is not a region name`);
  const fps = u.searchParams.get('forcePathStyle');
  if (fps !== null && !['true', 'false', '1', '0'].includes(fps)) return fail('forcePathStyle is true or false');
  // Path-style by default for custom endpoints: MinIO, Ceph and most self-hosted stores have no bucket DNS names.
  const forcePathStyle = fps === null ? endpoint !== undefined : fps === 'true' || fps === '1';
  return { kind: 's3', bucket, prefix, endpoint, region, forcePathStyle };
});

export const blobsConfig = configSection(
  {
    BLOB_STORE_URL: blobStoreUrl.optional(),
    /** With an s3:// BLOB_STORE_URL: static credentials. Unset: the AWS SDK's default chain (AWS_* variables, profile, instance role). */
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  },
  (e, common, problems) => {
    if (!e.S3_ACCESS_KEY_ID !== !e.S3_SECRET_ACCESS_KEY)
      problems.push('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY: set both or neither');
    const location: BlobStoreLocation = e.BLOB_STORE_URL ?? { kind: 'fs', root: path.join(common.dataDir, 'blobs') };
    return {
      location,
      credentials:
        e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY
          ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY }
          : undefined,
    };
  },
);
export type BlobsConfig = SectionValue<typeof blobsConfig>;
