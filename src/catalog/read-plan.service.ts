// The one paid-read path (DESIGN "The one idea"): a plan from either door -> one batched lookup -> scope
// filter -> exact price -> one atomic debit -> only then the paid data (signed image URLs). REST routes and
// GraphQL fields both call execute(); there is no other pricing or debit code.
import DataLoader from 'dataloader';
import type { Sql } from '../db/client.ts';
import type { Principal } from '../auth/principal.ts';
import { inScope } from '../auth/scope.ts';
import type { RequestContext } from '../http/request-context.ts';
import { AppError } from '../http/errors.ts';
import type { ImageUrlIssuer, ImageGrant } from '../images/image-url-issuer.ts';
import type { PricingService } from '../billing/pricing.service.ts';
import { ChargeBuilder } from '../billing/cost.ts';
import { accountBalance, type LedgerLine } from '../billing/ledger.repository.ts';
import { debitBatcherFor } from '../billing/debit-batcher.ts';
import type { Units } from '../billing/credits.ts';
import { productsByGtin } from './product.repository.ts';
import type { CatalogCache } from './catalog-cache.ts';
import { imageKey, type ReadPlan } from './read-plan.ts';
import type { ProductRecord, Variant } from './product.types.ts';
import { VARIANTS } from './product.types.ts';

export type ProductStatus = 'ok' | 'not_found' | 'out_of_scope' | 'variant_not_available';

export interface ProductOutcome {
  status: ProductStatus;
  /** Present when status is ok. */
  record: ProductRecord | null;
  /** imageKey -> signed URL, for the wanted images that exist (empty on a quote). */
  urls: Map<string, string>;
}

export interface BulkOutcome {
  status: 'ok' | 'out_of_scope';
  exists: boolean;
  variants: Variant[];
}

export interface PlanResult {
  products: Map<string, ProductOutcome>;
  bulk: Map<string, BulkOutcome>;
  lines: LedgerLine[];
  /** What was charged (0 on a quote). */
  debited: Units;
  /** What the plan costs (= debited unless a quote). */
  cost: Units;
  remaining: Units | null;
  quote: boolean;
}

export interface ExecuteOptions {
  /** Public origin for signed image URLs. */
  baseUrl: string;
  /** Price only: no charge, no paid data. */
  quote?: boolean;
}

export const availableVariants = (r: ProductRecord): Variant[] => VARIANTS.filter((v) => r.images[v]);

export class ReadPlanService {
  constructor(
    private readonly sql: Sql,
    private readonly pricing: PricingService,
    private readonly images: ImageUrlIssuer,
    /** Per-node cache in front of the catalog query; without it every plan queries the database. */
    private readonly catalog?: CatalogCache,
  ) {}

  async execute(principal: Principal, ctx: RequestContext, plan: ReadPlan, opts: ExecuteOptions): Promise<PlanResult> {
    // Per request: every barcode of the plan in one batched lookup.
    const loader = new DataLoader<string, ProductRecord | null>(
      async (keys) => {
        const found = this.catalog ? await this.catalog.load(keys) : await productsByGtin(this.sql, keys);
        return keys.map((k) => found.get(k) ?? null);
      },
      { maxBatchSize: 1000 },
    );
    const gtins = [...new Set([...plan.products.map((p) => p.gtin14), ...plan.bulkCheck])];
    const [records, pricing] = await Promise.all([loader.loadMany(gtins), this.pricing.current()]);
    const byGtin = new Map<string, ProductRecord | null>();
    gtins.forEach((g, i) => {
      const r = records[i];
      if (r instanceof Error) throw r;
      byGtin.set(g, r);
    });
    const visible = (r: ProductRecord) => inScope(principal, { brand: r.meta.brand, ownership: r.meta.ownership });

    const charge = new ChargeBuilder(pricing);
    const products = new Map<string, ProductOutcome>();
    for (const want of plan.products) {
      const record = byGtin.get(want.gtin14) ?? null;
      const outcome: ProductOutcome = { status: 'ok', record: null, urls: new Map() };
      products.set(want.gtin14, outcome);
      if (!record) {
        outcome.status = 'not_found';
        continue;
      }
      if (!visible(record)) {
        outcome.status = 'out_of_scope';
        continue;
      }
      const barcode = record.meta.barcode;
      const existing = want.images.filter((w) => record.images[w.variant]);
      if (want.imagesOnly && existing.length === 0) {
        outcome.status = 'variant_not_available';
        continue;
      }
      outcome.record = record;
      if (want.productMeta) charge.add('products.get', { barcode, scope: 'product_meta' });
      if (want.imageMeta) charge.add('products.get', { barcode, scope: 'image_meta' });
      for (const w of existing)
        charge.add('products.get.per_image', { barcode, variant: w.variant, size: w.size, format: w.format });
      if (!want.productMeta && !want.imageMeta && want.images.length === 0) charge.add('products.head', { barcode });
    }
    const bulk = new Map<string, BulkOutcome>();
    for (const g of plan.bulkCheck) {
      const record = byGtin.get(g) ?? null;
      if (record && !visible(record)) {
        bulk.set(g, { status: 'out_of_scope', exists: false, variants: [] });
        continue;
      }
      bulk.set(g, { status: 'ok', exists: !!record, variants: record ? availableVariants(record) : [] });
      charge.add('products.bulk_check', { barcode: record?.meta.barcode ?? g });
    }
    const { lines, total } = charge.build();

    let remaining: Units | null;
    let debited = 0n;
    if (opts.quote || total === 0n) {
      remaining = await accountBalance(this.sql, principal.accountId);
    } else {
      // Group commit: concurrent debits of this process share one transaction (exact per debit, see the batcher).
      remaining = await debitBatcherFor(this.sql).debit({
        accountId: principal.accountId,
        clientId: principal.clientId,
        requestId: ctx.requestId,
        cost: total,
        lines,
      });
      if (remaining === null) {
        ctx.creditsRemaining = await accountBalance(this.sql, principal.accountId);
        throw new AppError(
          'insufficient_credits',
          `This request costs ${Number(total) / 10_000} credits; the balance does not cover it. Nothing was charged.`,
        );
      }
      debited = total;
    }
    ctx.creditsDebited = debited;
    ctx.creditsRemaining = remaining;
    if (!opts.quote) this.signUrls(principal, ctx, plan, products, opts.baseUrl);
    return { products, bulk, lines, debited, cost: total, remaining, quote: !!opts.quote };
  }

  /** After the debit only: the URLs are the paid goods. */
  private signUrls(
    principal: Principal,
    ctx: RequestContext,
    plan: ReadPlan,
    products: Map<string, ProductOutcome>,
    baseUrl: string,
  ): void {
    const grants: ImageGrant[] = [];
    const targets: [Map<string, string>, string][] = [];
    for (const want of plan.products) {
      const o = products.get(want.gtin14)!;
      if (!o.record) continue;
      for (const w of want.images) {
        if (!o.record.images[w.variant]) continue;
        grants.push({
          clientId: principal.clientId,
          accountId: principal.accountId,
          tier: principal.tier,
          ip: ctx.ip,
          requestId: ctx.requestId,
          gtin14: want.gtin14,
          barcode: o.record.meta.barcode,
          variant: w.variant,
          size: w.size,
          format: w.format,
          sourceBlobKey: o.record.images[w.variant]!.blob_key,
        });
        targets.push([o.urls, imageKey(w)]);
      }
    }
    if (grants.length === 0) return;
    const urls = this.images.issue(grants, baseUrl);
    targets.forEach(([m, k], i) => m.set(k, urls[i]));
  }
}
