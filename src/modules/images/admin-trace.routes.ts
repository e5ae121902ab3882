// GET /admin/v1/trace/{token}: who was issued a signed image URL, when, from which IP, whether redeemed.
// Accepts the bare token or the whole URL (URL-encoded).
import type { Route } from '../../platform/http/router.ts';
import type { ImageTraceService } from './image-trace.service.ts';

export function traceRoutes(traces: ImageTraceService): Route[] {
  return [
    {
      method: 'GET',
      path: '/admin/v1/trace/:token',
      access: 'admin',
      async handler({ params, ctx }) {
        return { status: 200, json: { ...(await traces.trace(params.token)), request_id: ctx.requestId } };
      },
    },
  ];
}
