// PUT /admin/v1/products/{barcode}/images/{variant}: the image bytes as the body (image/jpeg or image/png).
// Metadata rides in headers or the query: X-Photo-Date / photo_date, X-Uploaded-By / uploaded_by,
// X-Source-Batch / source_batch. 201 when stored, 200 when the identical picture was already there.

import { AppError } from '../../kernel/errors.ts';
import { readRaw } from '../../platform/http/body.ts';
import type { Route } from '../../platform/http/router.ts';
import { IMAGE_UPLOAD_LIMIT, type ImageIngestService } from './image-ingest.service.ts';

export function adminImageRoutes(ingest: ImageIngestService): Route[] {
  return [
    {
      method: 'PUT',
      path: '/admin/v1/products/:barcode/images/:variant',
      access: 'admin',
      query: { photo_date: 'one', uploaded_by: 'one', source_batch: 'one' },
      async handler({ params, query, headers, raw, ctx }) {
        const declared = headers['content-type'];
        if (!declared) {
          raw.resume();
          throw new AppError('unsupported_media_type', 'Send the image with Content-Type image/jpeg or image/png.');
        }
        const bytes = await readRaw(raw, IMAGE_UPLOAD_LIMIT);
        const pick = (header: string, param: string) => {
          const v = headers[header];
          return (Array.isArray(v) ? v[0] : v) ?? query.get(param) ?? null;
        };
        const r = await ingest.ingest({
          barcode: params.barcode,
          variant: params.variant,
          bytes,
          declaredType: declared,
          photoDate: pick('x-photo-date', 'photo_date'),
          uploadedBy: pick('x-uploaded-by', 'uploaded_by'),
          sourceBatch: pick('x-source-batch', 'source_batch'),
        });
        ctx.log.info(
          { barcode: r.barcode, variant: r.variant, sha256: r.image.sha256, changed: r.changed },
          'image ingested',
        );
        const i = r.image;
        return {
          status: r.changed ? 201 : 200,
          json: {
            barcode: r.barcode,
            variant: r.variant,
            changed: r.changed,
            image_meta: {
              photo_date: i.photo_date,
              upload_date: i.upload_date,
              resolution: `${i.width}x${i.height}`,
              width: i.width,
              height: i.height,
              format: i.format,
              content_type: i.content_type,
              file_size_bytes: i.file_size_bytes,
              sha256: i.sha256,
              uploaded_by: i.uploaded_by,
              source_batch: i.source_batch,
            },
            request_id: ctx.requestId,
          },
        };
      },
    },
  ];
}
