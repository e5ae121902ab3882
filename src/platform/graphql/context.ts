// What every resolver sees: the HTTP request context (request id, principal, credits for the headers), the
// operation's admission state, and the services of the modules. Built per HTTP request by graphql.handler.ts.
// Modules add what they need through declaration merging (`declare module '…/context.ts'`), so this file names
// no domain: GraphQLServices gets each module's services, OperationState each plugin's per-operation state.
import type { IncomingMessage } from 'node:http';
import type { RequestContext } from '../../kernel/request-context.ts';

/** The services behind resolvers, one entry per module that has GraphQL fields (the same ones REST uses). */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the modules (declaration merging)
export interface GraphQLServices {}

/** Per-operation state of the admission step; plugins of modules add their own fields. */
export interface OperationState {
  /** True when the request was counted against the rate limits (its client's buckets, or its IP's). */
  counted: boolean;
  /** Why the sent token was refused; answered only if the operation needs a token. */
  authError: unknown;
  /** The rate-limit refusal (429) of this request, answered before the document is parsed. */
  refusal: unknown;
}

export interface GraphQLContext {
  ctx: RequestContext;
  req: IncomingMessage;
  op: OperationState;
  services: GraphQLServices;
  /**
   * A POST JSON body, already read (and limited) by our handler: yoga gets a request without a body and parses
   * these bytes instead of streaming them a second time (buffered-body.ts).
   */
  jsonBody?: Buffer;
}
