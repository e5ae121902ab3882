// REST adapters over the read-plan service (docs/rest.md#get-a-product): GET/HEAD one product and POST bulk-check.
// They translate parameters into a plan and the outcome into JSON; pricing and the debit live in the service.
import type { Route, ApiRequest } from '../http/router.ts';
import { AppError } from '../kernel/errors.ts';
import { asObject, readJson } from '../http/body.ts';
import { metaBlock } from '../http/respond.ts';
import type { ReadPlanService, ProductOutcome } from './read-plan.service.ts';
import { availableVariants } from './read-plan.service.ts';
import { PlanBuilder } from './read-plan.ts';
import { imageKey } from './read-plan.ts';
import { MAX_BARCODES, bulkRows, planBulkCheck } from './bulk-check.ts';
import { gtinOrThrow, parseProductQuery, planOf } from './product-query.ts';
import { renderImageMetaSet, renderProductMeta } from './product.render.ts';
import { IdempotencyService, idempotencyKey } from './idempotency.service.ts';
import { executeAndReport } from './charge-on-response.ts';

export interface ProductRoutesDeps {
  reads: ReadPlanService;
  idempotency: IdempotencyService;
  baseUrl: (req: { headers: ApiRequest['headers'] }) => string;
}

/** The REST error of a product that is not returned. */
export function outcomeError(o: ProductOutcome): AppError | null {
  switch (o.status) {
    case 'ok':
      return null;
    case 'not_found':
      return new AppError('not_found', 'No product with that barcode.');
    case 'out_of_scope':
      return new AppError('out_of_scope', 'This product is outside the scope of your API client.');
    case 'variant_not_available':
      return new AppError('variant_not_available', 'None of the requested image variants exists for this product.');
  }
}

export function productRoutes(deps: ProductRoutesDeps): Route[] {
  const { reads } = deps;
  return [
    {
      method: 'GET',
      path: '/api/v1/products/:barcode',
      access: 'client',
      async handler(req) {
        const q = parseProductQuery(req.params.barcode, req.query);
        const result = await executeAndReport(reads, req.ctx.principal!, req.ctx, planOf(q), {
          baseUrl: deps.baseUrl(req),
        });
        const o = result.products.get(q.gtin14)!;
        const err = outcomeError(o);
        if (err) throw err;
        const r = o.record!;
        const shown = q.variants.filter((v) => r.images[v]);
        const body: Record<string, unknown> = { barcode: r.meta.barcode };
        if (q.scopes.has('product_meta')) body.product_meta = renderProductMeta(r);
        if (q.scopes.has('image_meta')) body.image_meta = renderImageMetaSet(r, shown);
        if (q.scopes.has('images')) {
          body.images = Object.fromEntries(
            shown.map((variant) => [variant, o.urls.get(imageKey({ variant, size: q.size, format: q.format }))]),
          );
        }
        body.meta = metaBlock(req.ctx);
        return { status: 200, json: body, headers: { 'Cache-Control': 'private, max-age=900' } };
      },
    },
    {
      method: 'HEAD',
      path: '/api/v1/products/:barcode',
      access: 'client',
      async handler(req) {
        const gtin14 = gtinOrThrow(req.params.barcode);
        const plan = new PlanBuilder();
        plan.product(gtin14);
        const result = await executeAndReport(reads, req.ctx.principal!, req.ctx, plan.build(), {
          baseUrl: deps.baseUrl(req),
        });
        const o = result.products.get(gtin14)!;
        const err = outcomeError(o);
        if (err) throw err;
        return {
          status: 200,
          headers: {
            'X-Available-Variants': availableVariants(o.record!).join(','),
            'Cache-Control': 'private, max-age=900',
          },
        };
      },
    },
    {
      method: 'POST',
      path: '/api/v1/products/bulk-check',
      access: 'client',
      async handler(req) {
        const key = idempotencyKey(req.headers['idempotency-key']);
        const body = asObject(await readJson(req.raw));
        const barcodes = parseBarcodeList(body.barcodes);
        const ctx = req.ctx;
        const work = async () => {
          const plan = new PlanBuilder();
          const gtins = planBulkCheck(plan, barcodes);
          const result = await executeAndReport(reads, ctx.principal!, ctx, plan.build(), {
            baseUrl: deps.baseUrl(req),
          });
          return { status: 200, body: { results: bulkRows(barcodes, gtins, result), meta: metaBlock(ctx) } };
        };
        if (!key) {
          const res = await work();
          return { status: res.status, json: res.body };
        }
        const stored = await deps.idempotency.run(ctx.principal!.clientId, 'bulk-check', key, { barcodes }, work);
        if (!stored.replayed) return { status: stored.status, json: stored.body };
        return { status: stored.status, json: stored.body, headers: { 'Idempotency-Replayed': '1' } };
      },
    },
  ];
}

export function parseBarcodeList(v: unknown): string[] {
  if (!Array.isArray(v) || v.some((b) => typeof b !== 'string'))
    throw new AppError('bad_request', '`barcodes` must be an array of strings.');
  if (v.length === 0) throw new AppError('bad_request', '`barcodes` must hold at least one barcode.');
  if (v.length > MAX_BARCODES)
    throw new AppError('bad_request', `At most ${MAX_BARCODES} barcodes per call (got ${v.length}).`);
  return v as string[];
}
