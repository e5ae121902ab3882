// REST adapters over the read-plan service (docs/rest.md#get-a-product): GET/HEAD one product and POST bulk-check.
// They translate parameters into a plan and the outcome into JSON; pricing and the debit live in the service.
import { exactJson } from '../../kernel/credits.ts';
import { AppError } from '../../kernel/errors.ts';
import { pgTextProblem } from '../../kernel/input.ts';
import { parseIdempotencyKey } from '../../kernel/parse-input.ts';
import { asObject, readJson } from '../../platform/http/body.ts';
import { metaBlock } from '../../platform/http/respond.ts';
import type { ApiRequest, Reply, Route } from '../../platform/http/router.ts';
import type { Variant } from '../catalog/index.ts';
import { bulkRows, MAX_BARCODES, planBulkCheck } from './bulk-check.ts';
import { executeAndReport } from './charge-on-response.ts';
import { type IdempotencyRunner, markReplay } from './idempotency.runner.ts';
import { type Answer, type IdempotentRead, REPLAY_HEADERS, type StoredAnswer } from './idempotency.service.ts';
import { renderImageMetaSet, renderProductMeta } from './product.render.ts';
import { gtinOrThrow, PRODUCT_QUERY, parseProductQuery, planOf } from './product-query.ts';
import type { ProductOutcome, ReadPlanService } from './read-plan.service.ts';
import { availableVariants } from './read-plan.service.ts';
import { imageKey, PlanBuilder } from './read-plan.ts';

export interface ProductRoutesDeps {
  reads: ReadPlanService;
  idempotency: IdempotencyRunner;
  baseUrl: (req: { headers: ApiRequest['headers'] }) => string;
}

/** The REST error of a product that is not returned. */
function outcomeError(o: ProductOutcome): AppError | null {
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
      query: PRODUCT_QUERY,
      async handler(req) {
        const q = parseProductQuery(req.params.barcode, req.query);
        // The request identity under an Idempotency-Key: the product (any barcode form) and the checked query, sorted
        // (a list in its comma form, so the repeated and bracket forms are the same request).
        const query = [...req.query].sort(([a, x], [b, y]) => (a === b ? cmp(x, y) : cmp(a, b)));
        const identity = { gtin14: q.gtin14, query };
        return keyed(deps, req, 'products.get', identity, async (idempotency) => {
          const opts = { baseUrl: deps.baseUrl(req), idempotency };
          const result = await executeAndReport(reads, req.ctx.principal!, req.ctx, planOf(q), opts);
          const o = result.products.get(q.gtin14)!;
          const err = outcomeError(o);
          if (err) throw err;
          const r = o.record!;
          const shown = q.variants.filter((v) => r.images[v]);
          const body: Record<string, unknown> = { barcode: r.meta.barcode };
          if (q.scopes.has('product_meta')) body.product_meta = renderProductMeta(r);
          if (q.scopes.has('image_meta')) body.image_meta = renderImageMetaSet(r, shown);
          if (q.scopes.has('images')) {
            const url = (variant: Variant) => o.urls.get(imageKey({ variant, size: q.size, format: q.format }));
            body.images = Object.fromEntries(shown.map((variant) => [variant, url(variant)]));
          }
          body.meta = metaBlock(req.ctx);
          return { status: 200, json: body, headers: { 'Cache-Control': 'private, max-age=900' } };
        });
      },
    },
    {
      method: 'HEAD',
      path: '/api/v1/products/:barcode',
      access: 'client',
      async handler(req) {
        const gtin14 = gtinOrThrow(req.params.barcode);
        return keyed(deps, req, 'products.head', { gtin14 }, async (idempotency) => {
          const plan = new PlanBuilder();
          plan.product(gtin14);
          const opts = { baseUrl: deps.baseUrl(req), idempotency };
          const result = await executeAndReport(reads, req.ctx.principal!, req.ctx, plan.build(), opts);
          const o = result.products.get(gtin14)!;
          const err = outcomeError(o);
          if (err) throw err;
          const variants = availableVariants(o.record!).join(',');
          const headers = { 'X-Available-Variants': variants, 'Cache-Control': 'private, max-age=900' };
          return { status: 200, headers };
        });
      },
    },
    {
      method: 'POST',
      path: '/api/v1/products/bulk-check',
      access: 'client',
      async handler(req) {
        parseIdempotencyKey(req.headers['idempotency-key'], false); // a malformed key is 400 before the body is read
        const body = asObject(await readJson(req.raw));
        const barcodes = parseBarcodeList(body.barcodes);
        const ctx = req.ctx;
        return keyed(deps, req, 'bulk-check', { barcodes }, async (idempotency) => {
          const plan = new PlanBuilder();
          const gtins = planBulkCheck(plan, barcodes);
          const opts = { baseUrl: deps.baseUrl(req), idempotency };
          const result = await executeAndReport(reads, ctx.principal!, ctx, plan.build(), opts);
          return { status: 200, json: { results: bulkRows(barcodes, gtins, result), meta: metaBlock(ctx) } };
        });
      },
    },
  ];
}

/** Longest entry of a bulk-check list: far above any barcode, so typos still get their row. */
const MAX_BARCODE_TEXT = 64;
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Runs a paid read under its Idempotency-Key, if it has one (docs/billing.md#idempotency-keys), through the one
 * idempotency flow (idempotency.runner.ts): `render` gets the key's read to bind its debit to.
 */
async function keyed(
  deps: ProductRoutesDeps,
  req: ApiRequest,
  scope: string,
  identity: unknown,
  render: (idempotency: IdempotentRead | null) => Promise<Reply>,
): Promise<Reply> {
  const key = parseIdempotencyKey(req.headers['idempotency-key'], false);
  if (!key) return render(null);
  const ctx = req.ctx;
  const begun = await deps.idempotency.begin(ctx, ctx.principal!.clientId, scope, key, identity);
  if (begun.kind === 'replay') return replay(ctx, begun.answer);
  const { attempt } = begun;
  let answer: Answer;
  try {
    const reply = await render(attempt.read);
    const text = reply.json === undefined ? '' : exactJson(reply.json);
    const type: Record<string, string> = reply.json === undefined ? {} : { 'Content-Type': JSON_TYPE };
    // The id the client saw, when it was its own X-Request-ID: a replay shows it again (docs/rest.md#request-ids).
    const seen: Record<string, string> = ctx.clientRequestId ? { 'X-Request-ID': ctx.clientRequestId } : {};
    answer = { status: reply.status, text, headers: { ...type, ...reply.headers, ...seen } };
  } catch (e) {
    await attempt.failed();
    throw e;
  }
  const rebuilt = await attempt.answered(answer);
  return rebuilt ? replay(ctx, rebuilt) : asReply(answer, {});
}

function asReply(a: Answer, extra: Record<string, string>): Reply {
  if (a.text === '') return { status: a.status, headers: { ...a.headers, ...extra } }; // HEAD: no body
  const length = String(Buffer.byteLength(a.text));
  const headers = { ...a.headers, 'Content-Length': length, ...extra };
  return { status: a.status, bytes: Buffer.from(a.text), headers };
}

/** A stored (or rebuilt) answer: its own bytes and request id; this request charged nothing. */
function replay(ctx: ApiRequest['ctx'], a: StoredAnswer): Reply {
  markReplay(ctx, a);
  ctx.creditsRemaining = null; // the pipeline reports the current balance
  return asReply(a, REPLAY_HEADERS);
}

const JSON_TYPE = 'application/json; charset=utf-8';

function parseBarcodeList(v: unknown): string[] {
  if (!Array.isArray(v) || v.some((b) => typeof b !== 'string'))
    throw new AppError('bad_request', '`barcodes` must be an array of strings.');
  if (v.length === 0) throw new AppError('bad_request', '`barcodes` must hold at least one barcode.');
  if (v.length > MAX_BARCODES)
    throw new AppError('bad_request', `At most ${MAX_BARCODES} barcodes per call (got ${v.length}).`);
  // A string that is merely not a barcode is reported in its row; one that cannot even be echoed back and
  // stored with the idempotent answer (over-long, NUL, broken UTF-16) fails the call
  // (docs/input-validation.md#bulk-check).
  (v as string[]).forEach((b, i) => {
    if (b.length > MAX_BARCODE_TEXT) {
      throw new AppError('bad_request', `barcodes.${i}: at most ${MAX_BARCODE_TEXT} characters.`);
    }
    const problem = pgTextProblem(b);
    if (problem) throw new AppError('bad_request', `barcodes.${i}: ${problem}.`);
  });
  return v as string[];
}
