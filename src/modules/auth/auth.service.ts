// The token flow (docs/tokens-and-sessions.md) and the per-request authentication every REST route and
// GraphQL operation passes through. Verifying an access token is CPU only, done once per token and node (then
// cached by its hash, src/modules/auth/token-cache.ts); the client row comes from a ≤ 5 s per-node cache and the
// revocation marks from shared state on every request, so a request costs one shared-state read.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { decodeTime } from 'ulid';
import { bearerToken } from '../../kernel/bearer.ts';
import { AppError } from '../../kernel/errors.ts';
import { newUlid } from '../../kernel/ids.ts';
import { buildAllowlist } from '../../kernel/ip-allowlist.ts';
import type { KeyEntry } from '../../kernel/key-ring.ts';
import type { Principal } from '../../kernel/principal.ts';
import type { RequestContext } from '../../kernel/request-context.ts';
import { newRefreshToken, REFRESH_TOKEN_PREFIX, sameHash, secretHash } from '../../kernel/secrets.ts';
import type { Sql } from '../../platform/db/client.ts';
import { LoginThrottle } from '../../platform/shared-state/login-throttle.ts';
import type { SharedState } from '../../platform/shared-state/shared-state.ts';
import { type ClientRow, clientById, clientForExchange } from '../accounts/index.ts';
import { type CachedClient, ClientCache } from './client-cache.ts';
import { JWT_SKEW_SEC, signJwt, verifyJwt } from './jwt.ts';
import * as tokens from './refresh-tokens.repository.ts';
import { ACCESS_TTL_SEC, Revocations } from './revocations.ts';
import { grantedScope, scopeHash } from './scope.ts';
import { type IssueGuard, lockClientAndStoreRefreshToken, lockClientForIssue } from './sessions.repository.ts';
import { VerifiedTokenCache } from './token-cache.ts';

const REFRESH_TTL_SEC = 90 * 24 * 3600;

export interface AuthOptions {
  jwtKeys: KeyEntry[];
  issuer: string;
  clientCacheMs: number;
  /** At most this many client rows cached (AUTH_CLIENT_CACHE_ENTRIES). */
  clientCacheEntries?: number;
  failedPerMinute: number;
  /** Lifetime of issued access tokens (ACCESS_TOKEN_TTL_SEC); at most ACCESS_TTL_SEC, which verification bounds. */
  accessTokenTtlSec?: number;
  /** Verified access tokens kept per node (AUTH_TOKEN_CACHE_ENTRIES; 0: verify every time). */
  tokenCacheEntries: number;
  /** Told of every token-cache lookup (metrics). */
  onTokenCacheLookup?: (hit: boolean) => void;
}

export interface TokenPair {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  refresh_expires_in: number;
  /** The scope the token carries: the client's whole filter as OAuth2 scope tokens (docs/rest.md#oauth2-scope). */
  scope: string;
}

const unauthenticated = (message = 'A valid bearer access token is required.') =>
  new AppError('unauthenticated', message, { 'WWW-Authenticate': 'Bearer' });

export class AuthService {
  readonly cache: ClientCache;
  readonly tokens: VerifiedTokenCache;
  private readonly throttle: LoginThrottle;
  private readonly revocations: Revocations;
  private readonly ttlSec: number;

  constructor(
    private readonly sql: Sql,
    state: SharedState,
    private readonly opts: AuthOptions,
  ) {
    this.cache = new ClientCache(sql, opts.clientCacheMs, opts.clientCacheEntries);
    this.tokens = new VerifiedTokenCache(opts.tokenCacheEntries, opts.onTokenCacheLookup);
    this.throttle = new LoginThrottle(state, opts.failedPerMinute);
    this.revocations = new Revocations(sql, state);
    this.ttlSec = Math.min(opts.accessTokenTtlSec ?? ACCESS_TTL_SEC, ACCESS_TTL_SEC);
  }

  /**
   * Checks client_id + api_key. `admit` runs after the credentials and controls passed and before tokens
   * are issued (it counts the exchange against the client's rate-limit buckets and may throw 429); it is also
   * given the account's balance, read with the client (null when unknown).
   */
  async exchange(
    clientId: string,
    apiKey: string,
    ctx: RequestContext,
    admit: (p: Principal, balance: bigint | null) => Promise<void>,
  ): Promise<TokenPair> {
    // Failures are counted per source, never per client_id alone: a client_id is public (every image URL
    // used to carry it), and guesses from elsewhere must not lock its owner out.
    // See docs/tokens-and-sessions.md#login-throttle
    const pair = createHash('sha256').update(`${clientId}\0${ctx.ip}`).digest('base64url');
    const throttleKeys = [`ip:${ctx.ip}`, `client-ip:${pair}`];
    // The throttle check and the client read run side by side (one wait instead of two). A refused source gets
    // its 429 as soon as the throttle answers, whatever the read finds, and is not counted again; the price is
    // one indexed read per throttled attempt, which used to stop at the throttle.
    const [, found] = await Promise.all([
      this.throttle.assertAllowed(throttleKeys),
      clientId.length <= 64 ? clientForExchange(this.sql, clientId) : null,
    ]);
    const client = found?.client ?? null;
    // Compare against every working key (current + rotation overlap) in constant time, even for an unknown
    // client, so that response timing does not tell which client ids exist.
    const hashes = found?.keyHashes ?? [];
    const given = secretHash(apiKey);
    let ok = false;
    for (const h of hashes.length ? hashes : [Buffer.alloc(32)]) ok = sameHash(given, h) || ok;
    if (!client || !ok || hashes.length === 0) {
      await this.throttle.recordFailure(throttleKeys);
      // Log the client id only when it looks like one: a client that swapped the fields would otherwise put
      // its api_key into the log.
      ctx.log.info(
        { client_id: /^cl_[0-9A-Z]{26}$/.test(clientId) ? clientId : '(malformed)' },
        'token exchange rejected',
      );
      throw new AppError('invalid_credentials', 'Unknown client_id or wrong api_key.');
    }
    const cached: CachedClient = { row: client, allowlist: buildAllowlist(client.ipAllowlist) };
    this.assertControls(cached, ctx.ip);
    await admit(this.principal(client, ''), found?.balance ?? null);
    // One statement, no BEGIN/COMMIT: it locks the client row and stores the refresh token (see issue).
    return this.issue(client, (hash) =>
      lockClientAndStoreRefreshToken(this.sql, client.clientId, hash, REFRESH_TTL_SEC),
    );
  }

  /** Single use: exactly one of several concurrent calls with one token wins; a consumed token again is a leak. */
  async refresh(refreshToken: string, ctx: RequestContext): Promise<TokenPair> {
    if (!refreshToken.startsWith(REFRESH_TOKEN_PREFIX) || refreshToken.length > 200) {
      throw new AppError('refresh_token_invalid', 'The refresh token is not valid.');
    }
    const hash = secretHash(refreshToken);
    const pair = await this.sql.begin(async (tx) => {
      const t = tx as unknown as Sql;
      // Client row before token row, the order a session end takes them in (no deadlock between the two).
      const owner = await tokens.refreshTokenState(t, hash);
      if (!owner || !(await lockClientForIssue(t, owner.clientId))) return null;
      const clientId = await tokens.consumeRefreshToken(t, hash);
      if (!clientId) return null;
      const client = await clientById(t, clientId);
      if (!client) return null;
      // A failing control rolls the consumption back: the token stays usable once the client is fixed.
      this.assertControls({ row: client, allowlist: buildAllowlist(client.ipAllowlist) }, ctx.ip);
      return this.issue(client, (h) => lockClientAndStoreRefreshToken(t, client.clientId, h, REFRESH_TTL_SEC));
    });
    if (pair) return pair;
    const st = await tokens.refreshTokenState(this.sql, hash);
    if (st?.consumed) {
      // Runs after the winner committed (its update held the row), so its new refresh token is revoked too
      // and its access token, signed before this moment, falls under the not-before mark.
      await Promise.all([
        tokens.revokeClientRefreshTokens(this.sql, st.clientId),
        this.revocations.revokeClientTokensBefore(st.clientId, Date.now()),
      ]);
      this.cache.invalidate(st.clientId);
      ctx.log.warn({ client_id: st.clientId }, 'refresh token reused: all tokens of the client revoked');
      throw new AppError(
        'refresh_token_reused',
        'This refresh token was already used; every token of this client has been revoked.',
      );
    }
    throw new AppError('refresh_token_invalid', 'The refresh token is not valid.');
  }

  /** Revokes an access or refresh token. Returns its client (null when nothing live was revoked). */
  async revoke(
    token: string,
  ): Promise<{ revoked: boolean; clientId: string | null; tokenType: 'access_token' | 'refresh_token' | null }> {
    const claims = await verifyJwt(token, this.opts.jwtKeys, this.opts.issuer, undefined, this.ttlSec);
    if (claims) {
      await this.revocations.revokeAccessToken(claims.jti, claims.exp);
      return { revoked: true, clientId: claims.sub, tokenType: 'access_token' };
    }
    if (token.startsWith(REFRESH_TOKEN_PREFIX) && token.length <= 200) {
      const clientId = await tokens.revokeRefreshToken(this.sql, secretHash(token));
      return { revoked: clientId !== null, clientId, tokenType: clientId ? 'refresh_token' : null };
    }
    return { revoked: false, clientId: null, tokenType: null };
  }

  /** The client a token belongs to (for idempotency records), without revealing anything to the caller. */
  async tokenOwner(token: string): Promise<string | null> {
    const claims = await verifyJwt(token, this.opts.jwtKeys, this.opts.issuer, undefined, this.ttlSec);
    if (claims) return claims.sub;
    if (!token.startsWith(REFRESH_TOKEN_PREFIX) || token.length > 200) return null;
    return (await tokens.refreshTokenState(this.sql, secretHash(token)))?.clientId ?? null;
  }

  /**
   * After a transaction ended a client's sessions (durable mark in PostgreSQL): publish the mark in shared
   * state so every node refuses the old tokens at once, and drop this node's cached row. Other nodes read
   * the durable mark within their client-cache interval even if the shared state is lost.
   */
  async sessionsEnded(clientId: string, atMs: number): Promise<void> {
    this.cache.invalidate(clientId);
    await this.revocations.markClientNotBefore(clientId, atMs);
  }

  /** The gate's client authentication: bearer token, revocation, then every per-client control. */
  async authenticate(req: IncomingMessage, ctx: RequestContext): Promise<Principal> {
    const token = bearerToken(req);
    if (!token) throw unauthenticated();
    return this.authenticateToken(token, ctx.ip);
  }

  /** Same as authenticate, for transports that already extracted the token (GraphQL). */
  async authenticateToken(token: string, ip: string): Promise<Principal> {
    const claims = await this.tokens.verify(token, (t) =>
      verifyJwt(t, this.opts.jwtKeys, this.opts.issuer, undefined, this.ttlSec),
    );
    if (!claims) throw unauthenticated('The access token is malformed, expired or not signed by us.');
    const issuedMs = jtiTime(claims.jti, Date.now(), this.ttlSec);
    if (issuedMs === null) throw unauthenticated('The access token is malformed, expired or not signed by us.');
    const [client, marks] = await Promise.all([
      this.cache.get(claims.sub),
      this.revocations.check(claims.sub, claims.jti),
    ]);
    if (!client) throw unauthenticated();
    // The client's own state first (a disabled client says so), then whether this token was ended.
    this.assertControls(client, ip);
    const notBefore = Math.max(marks.notBeforeMs, client.row.notBefore?.getTime() ?? 0);
    if (marks.revoked || issuedMs < notBefore) throw unauthenticated('The access token has been revoked.');
    return this.principal(client.row, claims.jti);
  }

  private assertControls(c: CachedClient, ip: string): void {
    if (!c.row.enabled) throw new AppError('client_disabled', 'This API client is disabled.');
    if (c.row.expiresAt && c.row.expiresAt.getTime() <= Date.now())
      throw new AppError('client_disabled', 'This API client has expired.');
    if (!c.allowlist.allows(ip))
      throw new AppError('client_ip_not_allowed', 'Requests from this IP address are not allowed for this client.');
  }

  private principal(c: ClientRow, tokenId: string): Principal {
    return {
      clientId: c.clientId,
      accountId: c.accountId,
      tier: c.tier,
      mode: c.mode,
      scope: { brands: c.scopeBrands, ownerships: c.scopeOwnerships },
      limits: { perMinute: c.limitPerMinute, perDay: c.limitPerDay },
      tokenId,
    };
  }

  /**
   * jti is a ULID: its millisecond timestamp orders the token against not-before marks. `store` locks the client
   * row (shared) and stores the refresh token in the same statement (lockClientAndStoreRefreshToken), so a
   * concurrent session end either sees this pair or is seen by it (docs/tokens-and-sessions.md#ending-sessions):
   * - the session end held the row first: the lock waits for it and reads its mark (and `enabled`), and the jti
   *   time is raised to the mark, so the pair is valid, issued after the end;
   * - the lock came first: the session end takes the row, and only then its mark time (clients.service.ts),
   *   after this statement committed; the refresh token is then live for it to revoke, and the jti time, taken
   *   BEFORE the statement was sent (less 1 ms, below), is earlier than the mark, so the access token is refused.
   * Taking the time after the statement returned would break the second case: the end can stamp its mark
   * between our commit and our clock read, and a jti after the mark survives it. In a transaction (refresh)
   * the row is held from an earlier lock to COMMIT, so a time taken before the statement is inside it too.
   */
  private async issue(c: ClientRow, store: (refreshHash: Buffer) => Promise<IssueGuard | null>): Promise<TokenPair> {
    const refresh = newRefreshToken();
    const beforeLockMs = Date.now();
    const guard = await store(secretHash(refresh));
    if (!guard) throw new AppError('invalid_credentials', 'Unknown client_id or wrong api_key.');
    if (!guard.enabled) throw new AppError('client_disabled', 'This API client is disabled.');
    // Never mint a token that a mark stamped by a node with a faster clock would already refuse. One ms back from
    // the clock read: a mark stamped later in the same millisecond would tie, and a tie is not refused
    // (authenticateToken refuses issuedMs < notBefore), so the access token would outlive its refresh token.
    const nowMs = Math.max(beforeLockMs - 1, guard.notBefore?.getTime() ?? 0);
    const now = Math.floor(nowMs / 1000);
    const access = signJwt(
      {
        iss: this.opts.issuer,
        sub: c.clientId,
        iat: now,
        exp: now + this.ttlSec,
        jti: newUlid(nowMs),
        tier: c.tier,
        scope_hash: scopeHash({ brands: c.scopeBrands, ownerships: c.scopeOwnerships }),
      },
      this.opts.jwtKeys,
    );
    return {
      access_token: access,
      token_type: 'Bearer',
      expires_in: this.ttlSec,
      refresh_token: refresh,
      refresh_expires_in: REFRESH_TTL_SEC,
      scope: grantedScope({ brands: c.scopeBrands, ownerships: c.scopeOwnerships }),
    };
  }
}

/**
 * The jti's ULID time, or null when it is not a ULID or its time is not sane: later than now (beyond the
 * skew) or older than an access token can live. The jti time is what revocation marks are compared with,
 * so a signed token must not be able to place itself after every mark.
 * See docs/tokens-and-sessions.md#access-tokens
 */
function jtiTime(jti: string, nowMs: number, ttlSec = ACCESS_TTL_SEC): number | null {
  if (!/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/.test(jti)) return null;
  let t: number;
  try {
    t = decodeTime(jti);
  } catch {
    return null;
  }
  if (t > nowMs + JWT_SKEW_SEC * 1000 || t < nowMs - (ttlSec + JWT_SKEW_SEC) * 1000) return null;
  return t;
}

/** SHA-256 of a canonical request body, for idempotency records. */
export function requestHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
