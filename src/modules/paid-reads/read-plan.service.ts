// The one paid-read path (docs/billing.md): a plan from either door -> one batched lookup -> scope
// filter -> exact price -> one atomic debit -> only then the paid data (signed image URLs). REST routes and
// GraphQL fields both call execute(); there is no other pricing or debit code.

import type { Units } from '../../kernel/credits.ts';
import { AppError } from '../../kernel/errors.ts';
import type { ClientMode, Principal } from '../../kernel/principal.ts';
import type { RequestContext } from '../../kernel/request-context.ts';
import { type Span, withSpan } from '../../kernel/tracing.ts';
import type { Sql } from '../../platform/db/client.ts';
import type { DebitSink, PricingService } from '../billing/index.ts';
import { accountBalance, type LedgerLine } from '../billing/index.ts';
import type { CatalogCache } from '../catalog/index.ts';
import type { ImageGrant, ImageUrlIssuer } from '../images/index.ts';
import type { IdempotentRead } from './idempotency.service.ts';
import { type BulkOutcome, type ProductOutcome, pricePlan } from './price-plan.ts';
import { imageKey, type ReadPlan } from './read-plan.ts';

export { availableVariants, type ProductOutcome } from './price-plan.ts';

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
  /** The Idempotency-Key the read answers (docs/billing.md#idempotency-keys); binds or replaces the debit. */
  idempotency?: IdempotentRead | null;
}

/** The balance does not cover the plan; nothing was charged. Carries the balance for the response headers. */
export class InsufficientCredits extends AppError {
  constructor(
    cost: Units,
    readonly balance: Units | null,
  ) {
    super(
      'insufficient_credits',
      `This request costs ${Number(cost) / 10_000} credits; the balance does not cover it. Nothing was charged.`,
    );
  }
}

/** The caller of a paid read: who pays, and where the signed URLs may be redeemed from. */
export type ReadCaller = Pick<RequestContext, 'requestId' | 'ip'>;

const idemKey = ({ clientId, scope, key }: IdempotentRead) => ({ clientId, scope, key });

export class ReadPlanService {
  constructor(
    private readonly sql: Sql,
    private readonly pricing: PricingService,
    private readonly images: ImageUrlIssuer,
    /**
     * Where a charge goes, by the client's mode: the group commit of this process's debits (live), or the record
     * of what a test read would have cost (test). The bill is computed here either way (docs/test-mode.md).
     */
    private readonly sinks: Record<ClientMode, DebitSink>,
    /** The per-node cache of each catalog: live, and the sandbox test clients read. */
    private readonly catalogs: Record<ClientMode, Pick<CatalogCache, 'load'>>,
  ) {}

  /**
   * Lookup -> price -> debit -> sign. Returns the charge; the door (REST route, GraphQL plugin) copies it onto
   * its response. Throws InsufficientCredits (nothing charged) when the balance does not cover the plan.
   */
  execute(principal: Principal, caller: ReadCaller, plan: ReadPlan, opts: ExecuteOptions): Promise<PlanResult> {
    // docs/operations.md#traces: the `paid_read` span holds the lookup, the debit and their SQL.
    const attributes = () => ({
      'paid_read.products': plan.products.length,
      'paid_read.bulk_check': plan.bulkCheck.length,
      'paid_read.quote': !!opts.quote,
    });
    return withSpan('paid_read', { attributes }, (span) => this.run(principal, caller, plan, opts, span));
  }

  private async run(
    principal: Principal,
    caller: ReadCaller,
    plan: ReadPlan,
    opts: ExecuteOptions,
    span: Span | null,
  ): Promise<PlanResult> {
    // Every barcode of the plan in one batched lookup (the cache coalesces misses of concurrent plans too).
    const gtins = [...new Set([...plan.products.map((p) => p.gtin14), ...plan.bulkCheck])];
    const [records, pricing] = await Promise.all([this.catalogs[principal.mode].load(gtins), this.pricing.current()]);
    const priced = pricePlan(records, plan, pricing, principal);
    const { products, bulk, total } = priced;
    span?.setAttribute('paid_read.cost_units', Number(total));
    let lines = priced.lines;
    const idem = opts.quote ? null : (opts.idempotency ?? null);

    let remaining: Units | null;
    let debited = 0n;
    if (idem?.charged) {
      // docs/billing.md#idempotency-keys: this key was charged by an earlier attempt whose answer was lost. The
      // answer is rebuilt from that committed charge (same plan, same request id); nothing is debited again.
      lines = idem.charged.lines as LedgerLine[];
      debited = idem.charged.cost;
      remaining = idem.charged.balance;
    } else if (opts.quote || total === 0n) {
      remaining = await accountBalance(this.sql, principal.accountId);
    } else {
      // Group commit: concurrent debits of this process share one transaction (exact per debit, see the batcher).
      // Under an Idempotency-Key the same transaction marks the key charged (or refuses: another attempt owns it).
      remaining = await this.sinks[principal.mode].debit({
        accountId: principal.accountId,
        clientId: principal.clientId,
        requestId: caller.requestId,
        cost: total,
        lines,
        ...(idem ? { idempotency: { ...idemKey(idem), owner: idem.owner } } : {}),
      });
      if (remaining === null) throw new InsufficientCredits(total, await accountBalance(this.sql, principal.accountId));
      debited = total;
    }
    if (!opts.quote) this.signUrls(principal, caller, plan, products, opts.baseUrl);
    return { products, bulk, lines, debited, cost: idem?.charged ? debited : total, remaining, quote: !!opts.quote };
  }

  /** After the debit only: the URLs are the paid goods. */
  private signUrls(
    principal: Principal,
    ctx: ReadCaller,
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
    targets.forEach(([m, k], i) => {
      m.set(k, urls[i]);
    });
  }
}
