// The image every image-redemption measurement serves: a ~200 KB studio-like JPEG uploaded as one product's front,
// and one-shot URLs for it issued with the server's own key, as the API would issue them (one per request). Used by
// bench.ts and capacity.bench.ts, so both measure the same bytes.
import sharp from 'sharp';
import { createLogger } from '../../src/kernel/logger.ts';
import { toGtin14 } from '../../src/modules/catalog/gtin.ts';
import { GrantRecorder } from '../../src/modules/images/grant-recorder.ts';
import { SignedUrlIssuer } from '../../src/modules/images/signed-url-issuer.ts';
import type { Sql } from '../../src/platform/db/client.ts';

export interface BenchImage {
  /** The uploaded master's bytes. */
  jpeg: Buffer;
  /** A fresh one-shot URL path (`/api/v1/image/<token>`) for the original. */
  path(): string;
}

export async function uploadBenchImage(opts: {
  apiUrl: string;
  adminToken: string;
  sql: Sql;
  barcode: string;
  /** IMAGE_URL_KEYS as given to the API (`kid:secret`). */
  urlKey: string;
  clientId: string;
  accountId: string;
  requestId: string;
}): Promise<BenchImage> {
  const noise = Buffer.alloc(1000 * 1000 * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = ((((i * 2654435761) >>> 24) & 0xff) ^ (i % 251)) & 0xff;
  const jpeg = await sharp(noise, { raw: { width: 1000, height: 1000, channels: 3 } })
    .blur(1.6)
    .jpeg({ quality: 80 })
    .toBuffer();
  const put = await fetch(`${opts.apiUrl}/admin/v1/products/${opts.barcode}/images/front`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${opts.adminToken}`, 'content-type': 'image/jpeg' },
    body: jpeg,
  });
  if (put.status >= 300) throw new Error(`image upload: ${put.status} ${await put.text()}`);
  const [img] = await opts.sql<{ gtin14: string; blob_key: string }[]>`
    select gtin14, blob_key from product_images where gtin14 = ${toGtin14(opts.barcode)} and variant = 'front'`;
  const i = opts.urlKey.indexOf(':');
  const issuer = new SignedUrlIssuer(
    [{ kid: opts.urlKey.slice(0, i), secret: opts.urlKey.slice(i + 1) }],
    new GrantRecorder(opts.sql, createLogger('silent'), { flushIntervalMs: 3_600_000, batchRows: 1e9 }),
  );
  return {
    jpeg,
    path: () =>
      `/api/v1/image/${
        issuer.issueToken({
          clientId: opts.clientId,
          accountId: opts.accountId,
          tier: 'enterprise',
          ip: '127.0.0.1',
          requestId: opts.requestId,
          gtin14: img.gtin14,
          barcode: opts.barcode,
          variant: 'front',
          size: 'original',
          format: 'original',
          sourceBlobKey: img.blob_key,
        }).token
      }`,
  };
}
