// What a GraphQL request passes before any planning or validation, cheapest first:
// 1. who pays for it: a valid access token counts against its client's buckets; a request without one (or
//    whose token fails) against its source IP's bucket, like REST. A refusal (429) answers before the body is
//    parsed (as JSON, let alone as a document).
// 2. the document's size, its token count (graphql-js stops parsing beyond it) and directives per selection.
// Each refusal is BAD_REQUEST (400) with a message saying which limit: docs/graphql-limits.md#cheap-checks.
import type { IncomingMessage } from 'node:http';
import { type DocumentNode, GraphQLError, Kind, parse, visit } from 'graphql';
import { AppError } from '../../kernel/errors.ts';
import type { RequestContext } from '../../kernel/request-context.ts';
import type { Gate } from '../http/gate.ts';
import type { GraphQLContext, OperationState } from './context.ts';
import type { GraphQLPlugin } from './direct-path.ts';
import { toGraphQLError } from './http-status.ts';
import { MAX_DIRECTIVES_PER_SELECTION, MAX_DOCUMENT_CHARS, MAX_TOKENS } from './limits.ts';

/**
 * Authenticates when a token is sent and counts the request; never throws for the client's mistakes: an
 * authentication failure is kept for operations that need a token, a rate-limit refusal for onParams.
 */
export async function admit(gate: Gate, req: IncomingMessage, ctx: RequestContext, op: OperationState): Promise<void> {
  if (req.headers.authorization !== undefined) {
    try {
      ctx.principal = await gate.authenticateClient(req, ctx);
    } catch (e) {
      op.authError = e;
    }
  }
  try {
    await gate.rateLimit(ctx);
    op.counted = true;
  } catch (e) {
    op.refusal = e;
  }
}

const refuse = (message: string, ctx: RequestContext) =>
  toGraphQLError(new AppError('bad_request', message), ctx, true);

/** Rate-limit refusals and the cheap document checks, as yoga hooks. */
export function admissionPlugin(): GraphQLPlugin {
  return {
    // A refused request is answered by the direct path without its body when no other plugin wants it on yoga's
    // path (direct-path.ts refuse); the same error as onParams gives on yoga's path.
    refusalOf: (sc) => (sc.op.refusal ? toGraphQLError(sc.op.refusal, sc.ctx, true) : null),
    // The requests onParams answers take yoga's path (direct-path.ts).
    yogaFor: (sc, params) =>
      Boolean(sc.op.refusal) || (typeof params.query === 'string' && params.query.length > MAX_DOCUMENT_CHARS),
    // A request refused by its rate limit is answered without reading its parameters: its body is not parsed
    // as JSON (up to 1 MiB), and the 429 of onParams is all it gets, whatever the body holds. Registered after
    // the request parsers (ours and yoga's), so this one is used; `query: ''` passes yoga's parameter check.
    onRequestParse({ serverContext, setRequestParser }) {
      if ((serverContext as Partial<GraphQLContext>).op?.refusal) setRequestParser(() => ({ query: '' }));
    },
    onParams({ params, setResult, context }) {
      const { ctx, op } = context as unknown as GraphQLContext;
      if (op.refusal) {
        setResult({ errors: [toGraphQLError(op.refusal, ctx, true)] });
        return;
      }
      if (typeof params.query === 'string' && params.query.length > MAX_DOCUMENT_CHARS) {
        setResult({ errors: [refuse(`The document is longer than ${MAX_DOCUMENT_CHARS} characters.`, ctx)] });
      }
    },
    onParse({ context, setParseFn }) {
      const { ctx } = context as unknown as GraphQLContext;
      setParseFn((source, options) => {
        let doc: DocumentNode;
        try {
          doc = parse(source, { ...options, maxTokens: MAX_TOKENS });
        } catch (e) {
          if (e instanceof GraphQLError && /more th\w+ \d+ tokens/.test(e.message)) {
            throw refuse(`The document has more than ${MAX_TOKENS} tokens.`, ctx);
          }
          throw e;
        }
        checkDirectives(doc, ctx);
        return doc;
      });
    },
  };
}

function checkDirectives(doc: DocumentNode, ctx: RequestContext): void {
  const check = (node: { directives?: readonly unknown[] }) => {
    if ((node.directives?.length ?? 0) > MAX_DIRECTIVES_PER_SELECTION) {
      throw refuse(`At most ${MAX_DIRECTIVES_PER_SELECTION} directives per field or fragment.`, ctx);
    }
  };
  visit(doc, { [Kind.FIELD]: check, [Kind.FRAGMENT_SPREAD]: check, [Kind.INLINE_FRAGMENT]: check });
}
