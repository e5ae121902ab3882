// POST /api/v1/auth/token, /auth/refresh, /auth/revoke (docs/rest.md#authentication): transport only; AuthService decides.
import { z } from 'zod';
import { AppError } from '../../kernel/errors.ts';
import { parseIdempotencyKey, parseInput } from '../../kernel/parse-input.ts';
import type { Principal } from '../../kernel/principal.ts';
import type { RequestContext } from '../../kernel/request-context.ts';
import type { Sql } from '../../platform/db/client.ts';
import { JSON_LIMIT, mediaType, readJson, readRaw } from '../../platform/http/body.ts';
import { metaBlock } from '../../platform/http/respond.ts';
import type { Reply, Route } from '../../platform/http/router.ts';
import { type AuthService, requestHash } from './auth.service.ts';
import { asOAuthError, assertScopeHeld, clientCredentials } from './oauth-token.ts';
import { storeAnswer, storedAnswer } from './refresh-tokens.repository.ts';

const secret = z.string().min(1).max(512);
const tokenBody = z.strictObject({ client_id: secret, api_key: secret });
const refreshBody = z.strictObject({ refresh_token: secret });
const revokeBody = z.strictObject({
  token: secret,
  token_type_hint: z.enum(['access_token', 'refresh_token']).optional(),
});

const FORM = 'application/x-www-form-urlencoded';

// Tokens must not be cached by anything between us and the client (RFC 6749 §5.1).
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

export interface AuthRouteDeps {
  auth: AuthService;
  sql: Sql;
  /** Counts a successful exchange against the client's own buckets (the gate's rate limiter). */
  rateLimit: (ctx: RequestContext) => Promise<void>;
}

export function authRoutes(deps: AuthRouteDeps): Route[] {
  const { auth } = deps;
  return [
    {
      method: 'POST',
      path: '/api/v1/auth/token',
      access: 'public',
      // Successes count against the client's own buckets (admit below); failures against the source IP.
      ipBucketOnFailure: true,
      async handler({ raw, headers, ctx }) {
        // The balance read with the client is the answer's X-Credits-Remaining (docs/rest.md#response-headers: an
        // admitted exchange is authenticated), so the pipeline does not read it again. Set once the body is built:
        // the body's meta.credits_remaining stays null, as on every public route.
        let balance: bigint | null = null;
        const admit = async (p: Principal, b: bigint | null) => {
          ctx.principal = p;
          balance = b;
          await deps.rateLimit(ctx);
        };
        try {
          return await exchangeAnswer(admit);
        } finally {
          if (ctx.principal && ctx.creditsRemaining === null) ctx.creditsRemaining = balance;
        }

        async function exchangeAnswer(admit: (p: Principal, b: bigint | null) => Promise<void>): Promise<Reply> {
          // The OAuth2 client-credentials form (docs/rest.md#oauth2-client-credentials): same exchange, same
          // throttle and rate limits, OAuth2 error bodies.
          if (mediaType(headers['content-type']) === FORM) {
            const creds = clientCredentials(await readRaw(raw, JSON_LIMIT), headers.authorization);
            // A requested scope is checked once the client is known and admitted (docs/rest.md#oauth2-scope): a
            // scope it lacks is its own 400, counted against its buckets like any 4xx, and no token is issued.
            const admitScoped = async (p: Principal, b: bigint | null) => {
              await admit(p, b);
              assertScopeHeld(creds.scope, p.scope);
            };
            try {
              const pair = await auth.exchange(creds.clientId, creds.secret, ctx, admitScoped);
              return { status: 200, headers: NO_STORE, json: { ...pair, meta: metaBlock(ctx) } };
            } catch (e) {
              throw asOAuthError(e, creds.basic);
            }
          }
          const body = parseInput(
            tokenBody,
            await readJson(
              raw,
              'Send the body as application/json or, for OAuth2, as application/x-www-form-urlencoded.',
            ),
          );
          const pair = await auth.exchange(body.client_id, body.api_key, ctx, admit);
          return { status: 200, headers: NO_STORE, json: { ...pair, meta: metaBlock(ctx) } };
        }
      },
    },
    {
      method: 'POST',
      path: '/api/v1/auth/refresh',
      access: 'public',
      async handler({ raw, ctx }) {
        const body = parseInput(refreshBody, await readJson(raw));
        const pair = await auth.refresh(body.refresh_token, ctx);
        return { status: 200, headers: NO_STORE, json: { ...pair, meta: metaBlock(ctx) } };
      },
    },
    {
      // Revoking is idempotent by nature; with an Idempotency-Key a retry also gets the first answer back
      // (e.g. `revoked: true` rather than `false` for a token the first attempt already revoked).
      method: 'POST',
      path: '/api/v1/auth/revoke',
      access: 'public',
      async handler({ raw, headers, ctx }) {
        const key = parseIdempotencyKey(headers['idempotency-key'], false);
        const body = parseInput(revokeBody, await readJson(raw));
        const hash = requestHash({ token: body.token, token_type_hint: body.token_type_hint ?? null });
        const owner = key ? ((await auth.tokenOwner(body.token)) ?? '-') : '-';
        if (key) {
          const prior = await storedAnswer(deps.sql, owner, 'auth.revoke', key);
          if (prior) {
            if (prior.requestHash !== hash)
              throw new AppError('idempotency_key_mismatch', 'This Idempotency-Key was used with a different request.');
            return {
              status: prior.status,
              headers: { ...NO_STORE, 'Idempotency-Replayed': '1', 'Idempotent-Replayed': 'true' },
              json: { ...(prior.body as object), meta: metaBlock(ctx) },
            };
          }
        }
        const r = await auth.revoke(body.token);
        const answer = { revoked: r.revoked, token_type: r.tokenType };
        if (key)
          await storeAnswer(deps.sql, owner, 'auth.revoke', key, { requestHash: hash, status: 200, body: answer });
        return { status: 200, headers: NO_STORE, json: { ...answer, meta: metaBlock(ctx) } };
      },
    },
  ];
}
