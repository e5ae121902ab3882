// Every /admin/v1 route in one list, over the same services the public API and the CLI use. The gate
// checks the admin bearer token for each of them (`access: 'admin'`).
import type { Route } from '../platform/http/router.ts';
import type { AccountsService } from '../modules/accounts/accounts.service.ts';
import type { ClientsService } from '../modules/accounts/clients.service.ts';
import type { PricingService } from '../modules/billing/pricing.service.ts';
import type { ImageIngestService } from '../modules/images/image-ingest.service.ts';
import type { ImageTraceService } from '../modules/images/image-trace.service.ts';
import type { ImageIdentifyService } from '../modules/images/image-identify.service.ts';
import type { ProductAdminService } from '../modules/catalog/product-admin.service.ts';
import { adminAccountRoutes } from '../modules/accounts/admin-accounts.routes.ts';
import { adminClientSessionRoutes } from '../modules/accounts/admin-sessions.routes.ts';
import { adminProductRoutes } from '../modules/catalog/admin-products.routes.ts';
import { adminPricingRoutes } from '../modules/billing/admin-pricing.routes.ts';
import { adminImageRoutes } from '../modules/images/admin-images.routes.ts';
import { traceRoutes } from '../modules/images/admin-trace.routes.ts';
import { identifyRoutes } from '../modules/images/admin-identify.routes.ts';
import type { WebhookService } from '../modules/webhooks/webhooks.service.ts';
import type { DispatcherCounters } from '../modules/webhooks/webhook-dispatcher.ts';
import { adminWebhookRoutes } from '../modules/webhooks/admin-webhooks.routes.ts';

export interface AdminRouteDeps {
  accounts: AccountsService;
  clients: ClientsService;
  products: ProductAdminService;
  pricing: PricingService;
  ingest: ImageIngestService;
  traces: ImageTraceService;
  identify: ImageIdentifyService;
  /** Sentences about scope brands that match no catalog brand (docs/operations.md#scoped-clients). */
  brandWarnings?: (brands: string[] | null | undefined) => Promise<string[]>;
  /** Webhooks (docs/webhooks.md#operators); absent: no /admin/v1/webhooks routes. */
  webhooks?: { service: WebhookService; nodeCounters: () => DispatcherCounters };
}

export function adminRoutes(d: AdminRouteDeps): Route[] {
  return [
    ...adminAccountRoutes({ accounts: d.accounts, clients: d.clients, brandWarnings: d.brandWarnings }),
    ...adminClientSessionRoutes({ clients: d.clients }),
    ...adminProductRoutes(d.products),
    ...adminPricingRoutes(d.pricing),
    ...adminImageRoutes(d.ingest),
    ...traceRoutes(d.traces),
    ...identifyRoutes(d.identify),
    ...(d.webhooks ? adminWebhookRoutes(d.webhooks.service, d.webhooks.nodeCounters) : []),
  ];
}
