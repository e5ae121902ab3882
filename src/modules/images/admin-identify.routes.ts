// POST /admin/v1/identify: a (leaked, resized, re-encoded, cropped) image file as the body -> which catalog
// image it shows and which client's signed URL it was delivered through (docs/admin.md). Optional
// ?barcode=&variant= names the catalog image when the operator already knows it (skips the index lookup).

import { AppError } from '../../kernel/errors.ts';
import { readRaw } from '../../platform/http/body.ts';
import type { Route } from '../../platform/http/router.ts';
import type { ImageIdentifyService } from './image-identify.service.ts';
import { IMAGE_UPLOAD_LIMIT } from './image-ingest.service.ts';

const ACCEPTED = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/avif', 'application/octet-stream']);

export function identifyRoutes(identify: ImageIdentifyService): Route[] {
  return [
    {
      method: 'POST',
      path: '/admin/v1/identify',
      access: 'admin',
      query: { barcode: 'one', variant: 'one' },
      async handler({ query, headers, raw, ctx }) {
        // The bytes decide the format; a declared type only has to be some image (or unspecified bytes).
        const declared = headers['content-type']?.split(';')[0].trim().toLowerCase();
        if (declared && !ACCEPTED.has(declared)) {
          raw.resume();
          throw new AppError(
            'unsupported_media_type',
            'Send the image file as the body (image/jpeg, image/png, image/webp or image/avif).',
          );
        }
        const barcode = query.get('barcode');
        const variant = query.get('variant');
        if ((barcode === null) !== (variant === null)) {
          raw.resume();
          throw new AppError('bad_request', 'Give barcode and variant together, or neither.');
        }
        const bytes = await readRaw(raw, IMAGE_UPLOAD_LIMIT);
        const t = performance.now();
        const r = await identify.identify(
          bytes,
          barcode !== null && variant !== null ? { barcode, variant } : undefined,
        );
        ctx.log.info(
          { barcode: r.barcode, variant: r.variant, client_id: r.client_id, ms: Math.round(performance.now() - t) },
          'identify',
        );
        return { status: 200, json: { ...r, request_id: ctx.requestId } };
      },
    },
  ];
}
