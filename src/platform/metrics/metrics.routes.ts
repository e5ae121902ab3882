// GET /metrics (and /admin/v1/metrics): Prometheus text of this process's registry (docs/operations.md#metrics).
// Behind a token: route names, volumes and error rates are the operator's business, not the public's. /metrics
// takes the admin token or the read-only METRICS_TOKEN (a scraper's credential, which opens nothing else);
// /admin/v1/metrics only the admin token. With ADMIN_PORT set both are served by the admin listener only.
import type { IncomingMessage } from 'node:http';
import type { Route } from '../http/router.ts';
import type { Metrics } from './metrics.ts';

/** Refuses (throws 401/429) unless the request may scrape: the admin token, or METRICS_TOKEN when configured. */
export type ScrapeAuthorizer = (req: IncomingMessage, ip: string) => Promise<void>;

export function metricsRoutes(metrics: Metrics, authorizeScrape: ScrapeAuthorizer): Route[] {
  const handler: Route['handler'] = async () => ({
    status: 200,
    bytes: Buffer.from(await metrics.text()),
    headers: { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' },
  });
  return [
    {
      method: 'GET',
      path: '/metrics',
      // Checked in the handler (either token); not an API route, so no rate-limit bucket either.
      access: 'public',
      rateLimited: false,
      query: 'ignored',
      handler: async (req) => {
        await authorizeScrape(req.raw, req.ctx.ip);
        return handler(req);
      },
    },
    { method: 'GET', path: '/admin/v1/metrics', access: 'admin', handler },
  ];
}
