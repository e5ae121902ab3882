// GET/HEAD /api/v1/image/{token}: the signed one-shot image URL (docs/signed-urls.md). Public (the token is the
// credential) and not rate limited: it is already paid and fetched by end users' browsers.
import type { Route } from '../../platform/http/router.ts';
import type { ImageDeliveryService } from './image-delivery.service.ts';

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
        const headers = {
          'Content-Type': r.contentType,
          'Content-Length': String(r.length),
          ETag: r.etag,
          'Cache-Control': `public, max-age=${maxAgeSec}, immutable`,
          'X-Content-Type-Options': 'nosniff',
          'Content-Disposition': `inline; filename="${claims.printed.replace(/[^0-9]/g, '')}_${claims.variant}.${r.ext}"`,
        };
        if (method === 'HEAD') {
          r.stream?.destroy();
          return { status: 200, headers, bytes: Buffer.alloc(0) };
        }
        return r.bytes ? { status: 200, headers, bytes: r.bytes } : { status: 200, headers, stream: r.stream };
      },
    },
  ];
}
