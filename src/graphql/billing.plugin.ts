// The GraphQL door of the paid path: before execution, plan the operation from its selection, authenticate
// (only when the operation needs it), count it against the rate limits, and run the plan through the same
// ReadPlanService as REST (one lookup, one debit). Afterwards, `extensions.billing` goes on every response.
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Gate } from '../http/gate.ts';
import { AppError, graphqlCode } from '../kernel/errors.ts';
import { toAppError } from '../http/respond.ts';
import type { RequestContext } from '../kernel/request-context.ts';
import { unitsToNumber } from '../kernel/credits.ts';
import type { ReadPlanService } from '../paid-reads/read-plan.service.ts';
import { executeAndReport } from '../paid-reads/charge-on-response.ts';
import type { ListingService } from '../listing/listing.service.ts';
import type { GraphQLContext, OperationState } from './context.ts';
import { planOperation } from './selection-plan.ts';

export interface BillingPluginDeps {
  reads: ReadPlanService;
  listing: ListingService;
  gate: Gate;
  baseUrl: (req: GraphQLContext['req']) => string;
}

/** An AppError as a GraphQL error; errors that stop the whole operation also carry their HTTP status. */
export function toGraphQLError(e: unknown, ctx: RequestContext, withHttp: boolean): GraphQLError {
  const err = toAppError(e, ctx);
  return new GraphQLError(err.message, {
    extensions: {
      code: graphqlCode(err.code),
      ...(withHttp ? { http: { status: err.status, headers: err.headers } } : {}),
    },
  });
}

export const isQuote = (c: GraphQLContext) => String(c.req.headers['x-price-quote'] ?? '') === '1';

export function billingPlugin(deps: BillingPluginDeps): Plugin<GraphQLContext> {
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const c = args.contextValue as GraphQLContext;
      const quote = isQuote(c);
      try {
        const planned = planOperation(
          args.schema,
          args.document,
          args.operationName,
          args.variableValues as Record<string, unknown>,
        );
        if (planned?.needsPrincipal) {
          c.ctx.principal = await deps.gate.authenticateClient(c.req, c.ctx);
          c.op.counted = true;
          await deps.gate.rateLimit(c.ctx);
          // catalog: the listing runs now (free), so its page's paid node selections join the one bill.
          for (const sel of planned.catalog)
            c.op.catalog.set(sel.key, await deps.listing.list(c.ctx.principal, sel.request));
          const plan = planned.build(c.op.catalog);
          c.op.plan = plan;
          c.op.result = await executeAndReport(deps.reads, c.ctx.principal, c.ctx, plan, {
            baseUrl: deps.baseUrl(c.req),
            quote,
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
            if (original && !(original instanceof AppError) && !(original instanceof GraphQLError))
              c.ctx.log.error({ err: original, path: err.path }, 'graphql resolver error');
          }
        },
      };
    },
    onResultProcess({ result, setResult, serverContext }) {
      if (Array.isArray(result) || !result || typeof result !== 'object' || Symbol.asyncIterator in result) return;
      const { ctx, op } = serverContext as unknown as GraphQLContext;
      setResult({
        ...result,
        extensions: {
          ...result.extensions,
          billing: billingExtension(ctx, op, isQuote(serverContext as unknown as GraphQLContext)),
        },
      });
    },
  };
}

export function billingExtension(ctx: RequestContext, op: OperationState, quote: boolean) {
  const lines = (op.result?.lines ?? []).map((l) => ({
    ...l,
    rate: unitsToNumber(BigInt(l.rate)),
    amount: unitsToNumber(BigInt(l.amount)),
  }));
  return {
    requestId: ctx.requestId,
    creditsDebited: unitsToNumber(ctx.creditsDebited),
    creditsRemaining: ctx.creditsRemaining === null ? null : unitsToNumber(ctx.creditsRemaining),
    lines,
    ...(quote ? { quote: true, creditsQuoted: unitsToNumber(op.result?.cost ?? 0n) } : {}),
  };
}
