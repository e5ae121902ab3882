// GET/HEAD /api/v1/image/{token}: the signed one-shot image URL (docs/signed-urls.md). Public (the token is the
// credential) and not rate limited: it is already paid and fetched by end users' browsers.
import type { Route } from '../../platform/http/router.ts';
import type { ImageDeliveryService } from './image-delivery.service.ts';
import type { Rendition } from './rendition.service.ts';
import { URL_TTL_SEC } from './signed-url-token.ts';

export function imageRoutes(delivery: ImageDeliveryService): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/image/:token',
      access: 'public',
      rateLimited: false,
      async handler({ method, params, ctx }) {
        const {
          claims,
          rendition: r,
          maxAgeSec,
        } = await delivery.deliver(params.token, {
          ip: ctx.ip,
          requestId: ctx.requestId,
          redeem: method !== 'HEAD',
        });
        const fixed = fixedHeaders(r);
        // docs/signed-urls.md#delivery-headers. One literal per answer: the rendition's own headers were built
        // once, only the URL's lifetime and the file name differ between redemptions.
        const headers = {
          'Content-Type': fixed.type,
          'Content-Length': fixed.length,
          ETag: r.etag,
          'Cache-Control': cacheControl(maxAgeSec),
          'X-Content-Type-Options': 'nosniff',
          'Content-Disposition': `inline; filename="${digitsOf(claims.printed)}_${claims.variant}.${r.ext}"`,
        };
        if (method === 'HEAD') {
          r.stream?.destroy();
          return { status: 200, headers, bytes: EMPTY };
        }
        return r.bytes ? { status: 200, headers, bytes: r.bytes } : { status: 200, headers, stream: r.stream };
      },
    },
  ];
}

const EMPTY = Buffer.alloc(0);

/** A cached rendition is one object for its whole life in the cache, so what it says is spelled once. */
const fixedOf = new WeakMap<Rendition, { type: string; length: string }>();
function fixedHeaders(r: Rendition): { type: string; length: string } {
  let f = fixedOf.get(r);
  if (!f) {
    f = { type: r.contentType, length: String(r.length) };
    fixedOf.set(r, f);
  }
  return f;
}

/** max-age counts down from URL_TTL_SEC: a few hundred distinct values, each spelled once. */
const cacheControls: string[] = [];
function cacheControl(maxAgeSec: number): string {
  if (maxAgeSec > URL_TTL_SEC) return `public, max-age=${maxAgeSec}, immutable`;
  return (cacheControls[maxAgeSec] ??= `public, max-age=${maxAgeSec}, immutable`);
}

/** The printed barcode's digits (the file name): printed barcodes are usually digits already. */
const NON_DIGIT = /[^0-9]/;
const digitsOf = (printed: string) => (NON_DIGIT.test(printed) ? printed.replace(/[^0-9]/g, '') : printed);
