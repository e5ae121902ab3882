// The console's view of a GraphQL request (docs/console.md#sessions-and-csrf): its cookie, CSRF header and
// whether it sent a bearer token, and a way to set the session cookie, which the plugin below copies onto the
// response. One cookie per response is enough: sign-in sets one, sign-out clears one.
import type { Plugin } from 'graphql-yoga';
import type { GraphQLContext } from '../../platform/graphql/context.ts';
import { publicBaseUrl } from '../../platform/http/base-url.ts';
import type { ConsoleRequest } from './console.views.ts';

declare module '../../platform/graphql/context.ts' {
  interface OperationState {
    /** A Set-Cookie value a console field asked for. */
    consoleCookie: string | null;
  }
}

const one = (h: string | string[] | undefined) => (Array.isArray(h) ? h[0] : h);

const built = new WeakMap<GraphQLContext, ConsoleRequest>();

export function consoleRequest(c: GraphQLContext): ConsoleRequest {
  let r = built.get(c);
  if (!r) {
    const h = c.req.headers;
    r = {
      ip: c.ctx.ip,
      origin: publicBaseUrl(h, undefined, (c.req.socket as { encrypted?: boolean }).encrypted === true),
      cookie: one(h.cookie),
      csrf: one(h['x-csrf-token']),
      bearer: h.authorization !== undefined,
      secure: (c.req.socket as { encrypted?: boolean }).encrypted === true,
      setCookie: (v) => {
        c.op.consoleCookie = v;
      },
    };
    built.set(c, r);
  }
  return r;
}

/** Copies the cookie a console field set onto the HTTP response. */
export function consoleCookiePlugin(): Plugin<GraphQLContext> {
  return {
    onResponse({ response, serverContext }) {
      const cookie = (serverContext as unknown as GraphQLContext | undefined)?.op?.consoleCookie;
      if (cookie) response.headers.append('set-cookie', cookie);
    },
  };
}
