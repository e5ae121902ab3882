// /graphql: graphql-yoga behind our HTTP pipeline. The body is read here with the JSON limit (413 beyond),
// the response gets the same docs/rest.md#response-headers headers as REST, and authenticated operations settle their
// rate-limit count like any REST request. GraphiQL answers browsers (GET with Accept: text/html).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { createYoga } from 'graphql-yoga';
import type { RawHandler } from '../http/router.ts';
import type { RequestContext } from '../kernel/request-context.ts';
import type { Gate } from '../http/gate.ts';
import { AppError, graphqlCode } from '../kernel/errors.ts';
import { JSON_LIMIT, readRaw } from '../http/body.ts';
import { commonHeaders } from '../http/respond.ts';
import type { PricingService } from '../billing/pricing.service.ts';
import type { ReadPlanService } from '../paid-reads/read-plan.service.ts';
import { schema } from './schema.ts';
import { billingPlugin } from './billing.plugin.ts';
import { idempotencyPlugin } from './idempotency.plugin.ts';
import type { IdempotencyService } from '../paid-reads/idempotency.service.ts';
import type { AccountFieldServices, GraphQLContext } from './context.ts';

export interface GraphQLDeps {
  reads: ReadPlanService;
  pricing: PricingService;
  gate: Gate;
  baseUrl: (req: IncomingMessage) => string;
  services: AccountFieldServices;
  idempotency: IdempotencyService;
}

/** Domain errors keep their code; scalar/validation errors pass; anything else is masked. */
function maskError(error: unknown, message: string): Error {
  const gql = error instanceof GraphQLError ? error : null;
  const original = gql?.originalError ?? error;
  if (original instanceof AppError) {
    return new GraphQLError(original.message, {
      nodes: gql?.nodes,
      path: gql?.path,
      extensions: { code: graphqlCode(original.code) },
    });
  }
  if (gql && (!gql.originalError || gql.originalError instanceof GraphQLError)) return gql;
  return new GraphQLError(message, { nodes: gql?.nodes, path: gql?.path, extensions: { code: 'INTERNAL_ERROR' } });
}

export function graphqlHandler(deps: GraphQLDeps): RawHandler {
  const yoga = createYoga<Omit<GraphQLContext, never>>({
    schema,
    graphqlEndpoint: '/graphql',
    logging: false,
    landingPage: false,
    maskedErrors: { maskError, errorMessage: 'Internal error. Quote the request id when contacting support.' },
    plugins: [
      billingPlugin({ reads: deps.reads, listing: deps.services.listing, gate: deps.gate, baseUrl: deps.baseUrl }),
      idempotencyPlugin({ idempotency: deps.idempotency, gate: deps.gate }),
    ],
  });

  return async (req: IncomingMessage, res: ServerResponse, ctx: RequestContext) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const body = method === 'GET' || method === 'HEAD' ? undefined : await readRaw(req, JSON_LIMIT);
    const headers = new yoga.fetchAPI.Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
    }
    const request = new yoga.fetchAPI.Request(new URL(req.url ?? '/graphql', 'http://localhost'), {
      method,
      headers,
      body: body ? new Uint8Array(body) : undefined,
    });
    const sc: GraphQLContext = {
      ctx,
      req,
      op: { plan: null, result: null, counted: false, catalog: new Map() },
      pricing: deps.pricing,
      services: deps.services,
    };
    let status = 500;
    try {
      const response = await yoga.fetch(request, sc);
      status = response.status;
      const out: Record<string, string> = {};
      response.headers.forEach((v, k) => {
        out[k] = v;
      });
      const bytes = Buffer.from(await response.arrayBuffer());
      res.writeHead(status, { ...out, ...commonHeaders(ctx), 'content-length': String(bytes.length) });
      res.end(method === 'HEAD' ? undefined : bytes);
    } finally {
      if (sc.op.counted)
        await deps.gate.settle(ctx, status).catch((e) => ctx.log.warn({ err: e }, 'rate-limit settle failed'));
    }
  };
}
