// The GraphQL door of the paid path: before execution, plan the operation from its selection, require the
// token it needs (graphql.handler.ts authenticated and counted the request before parsing), count extra
// listings, and run the plan through the same ReadPlanService as REST (one lookup, one debit). Afterwards,
// `extensions.billing` and `extensions.rateLimit` go on every response (docs/graphql-limits.md#extensions).
import { type ExecutionResult, GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { credits } from '../../kernel/credits.ts';
import { AppError } from '../../kernel/errors.ts';
import { publicRequestId, type RequestContext } from '../../kernel/request-context.ts';
import { withSpanSync } from '../../kernel/tracing.ts';
import type { GraphQLContext, OperationState } from '../../platform/graphql/context.ts';
import { errorsForAccept, prefersPlainJson, toGraphQLError } from '../../platform/graphql/http-status.ts';
import type { Gate } from '../../platform/http/gate.ts';
import type { BucketState } from '../limits/index.ts';
import type { ListingService } from '../listing/index.ts';
import { executeAndReport } from './charge-on-response.ts';
import type { ReadPlanService } from './read-plan.service.ts';
import { planOperation } from './selection-plan.ts';

export interface BillingPluginDeps {
  reads: ReadPlanService;
  listing: ListingService;
  gate: Gate;
  baseUrl: (req: GraphQLContext['req']) => string;
  /** The account balance, for `creditsRemaining` on operations that did not debit. */
  balanceOf: (accountId: string) => Promise<bigint | null>;
  /** The rate-limit buckets as counted for this request. */
  budget: (ctx: RequestContext) => BucketState[] | null;
}

export const isQuote = (c: GraphQLContext) => String(c.req.headers['x-price-quote'] ?? '') === '1';

export function billingPlugin(deps: BillingPluginDeps): Plugin<GraphQLContext> {
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const c = args.contextValue as GraphQLContext;
      const quote = isQuote(c);
      try {
        const variables = args.variableValues as Record<string, unknown>;
        // docs/operations.md#traces: the selection plan (what this operation bills) has its own span.
        const planned = withSpanSync('graphql.plan', () =>
          planOperation(args.schema, args.document, args.operationName, variables),
        );
        if (planned?.needsPrincipal) {
          if (!c.ctx.principal) {
            if (c.op.authError) throw c.op.authError;
            c.ctx.principal = await deps.gate.authenticateClient(c.req, c.ctx); // no token: throws unauthenticated
          }
          // Each listing beyond the first counts as one more request (docs/graphql-limits.md#listings).
          if (planned.listings.length > 1) await deps.gate.rateLimit(c.ctx, planned.listings.length - 1);
          // The listings run now (free), so the paid selections of their products join the one bill.
          for (const l of planned.listings) {
            if (!c.op.catalog.has(l.key)) c.op.catalog.set(l.key, await deps.listing.list(c.ctx.principal, l.request));
          }
          const plan = planned.build(c.op.catalog);
          c.op.plan = plan;
          c.op.result = await executeAndReport(deps.reads, c.ctx.principal, c.ctx, plan, {
            baseUrl: deps.baseUrl(c.req),
            quote,
            idempotency: c.op.idempotency,
          });
        }
        if (quote) setResultAndStopExecution({ data: null });
      } catch (e) {
        c.ctx.creditsDebited = 0n;
        setResultAndStopExecution({ errors: [toGraphQLError(e, c.ctx, true)] });
        return;
      }
      return {
        onExecuteDone({ result }) {
          // Unexpected errors are masked for the client; the log keeps them, with the request id.
          for (const err of (result as ExecutionResult).errors ?? []) {
            const original = err.originalError;
            if (original && !(original instanceof AppError) && !(original instanceof GraphQLError)) {
              c.ctx.log.error({ err: original, path: err.path }, 'graphql resolver error');
            }
          }
        },
      };
    },
    async onResultProcess({ request, result, setResult, serverContext }) {
      if (Array.isArray(result) || !result || typeof result !== 'object' || Symbol.asyncIterator in result) return;
      const sc = serverContext as unknown as GraphQLContext;
      const { ctx, op } = sc;
      // A valid token always learns its balance, free operations and errors included.
      if (ctx.principal && ctx.creditsRemaining === null) {
        ctx.creditsRemaining = await deps.balanceOf(ctx.principal.accountId).catch(() => null);
      }
      const errors = errorsForAccept(result.errors, prefersPlainJson(request.headers.get('accept')));
      setResult({
        ...result,
        ...(errors ? { errors } : {}),
        extensions: {
          ...result.extensions,
          billing: billingExtension(ctx, op, isQuote(sc)),
          rateLimit: rateLimitExtension(deps.budget(ctx)),
        },
      });
    },
  };
}

function billingExtension(ctx: RequestContext, op: OperationState, quote: boolean) {
  const lines = (op.result?.lines ?? []).map((l) => ({
    ...l,
    rate: credits(BigInt(l.rate)),
    amount: credits(BigInt(l.amount)),
  }));
  return {
    requestId: publicRequestId(ctx),
    creditsDebited: credits(ctx.creditsDebited),
    creditsRemaining: ctx.creditsRemaining === null ? null : credits(ctx.creditsRemaining),
    lines,
    ...(ctx.principal?.mode === 'test' ? { testMode: true } : {}),
    ...(quote ? { quote: true, creditsQuoted: credits(op.result?.cost ?? 0n) } : {}),
  };
}

/** The buckets this request was counted against: `{ minute: {limit, remaining, reset}, day?: … }`, or null. */
function rateLimitExtension(buckets: BucketState[] | null) {
  if (!buckets) return null;
  return Object.fromEntries(
    buckets.map((b) => [
      b.name,
      {
        limit: b.limit,
        remaining: Math.max(0, b.remaining),
        reset: b.resetAt,
      },
    ]),
  );
}
