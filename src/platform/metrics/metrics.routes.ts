// GET /metrics (and /admin/v1/metrics): Prometheus text of this process's registry (docs/operations.md#metrics).
// Behind the admin token: route names, volumes and error rates are the operator's business, not the public's.
import type { Route } from '../http/router.ts';
import type { Metrics } from './metrics.ts';

export function metricsRoutes(metrics: Metrics): Route[] {
  const handler: Route['handler'] = async () => ({
    status: 200,
    bytes: Buffer.from(await metrics.text()),
    headers: { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' },
  });
  return [
    { method: 'GET', path: '/metrics', access: 'admin', query: 'ignored', handler },
    { method: 'GET', path: '/admin/v1/metrics', access: 'admin', handler },
  ];
}
