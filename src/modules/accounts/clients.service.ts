// API clients: creation (the key is returned once, only its hash is stored), changes, key rotation.

import { AppError } from '../../kernel/errors.ts';
import { newUlid } from '../../kernel/ids.ts';
import { newApiKey, secretHash } from '../../kernel/secrets.ts';
import type { Sql } from '../../platform/db/client.ts';
import { assertIdShape, type CreateClientInput, type UpdateClientInput } from './accounts.input.ts';
import { accountById } from './accounts.repository.ts';
import * as repo from './clients.repository.ts';

export interface ClientsServiceOptions {
  /** How long the previous key keeps working after a rotation. */
  keyOverlapSec: number;
  /** Told about every change, so this node's auth cache drops the row at once (other nodes: TTL ≤ 5 s). */
  onChange?: (clientId: string) => void;
  /**
   * Told after a transaction ended every session of the client as of `atMs` (the durable mark is already in
   * PostgreSQL); used to publish the mark in shared state so every node refuses the old tokens at once.
   */
  onSessionsEnded?: (clientId: string, atMs: number) => Promise<void>;
}

export interface SessionsEnded {
  /** The moment before which every access token of the client is refused. */
  endedAt: Date;
  refreshTokensRevoked: number;
}

export class ClientsService {
  constructor(
    private readonly sql: Sql,
    private readonly opts: ClientsServiceOptions,
  ) {}

  async createClient(accountId: string, input: CreateClientInput): Promise<{ client: repo.ClientRow; apiKey: string }> {
    assertIdShape('account', accountId);
    if (!(await accountById(this.sql, accountId))) throw new AppError('not_found', `No account ${accountId}.`);
    const mode = input.mode ?? 'live';
    const apiKey = newApiKey(mode);
    const clientId = `cl_${newUlid()}`;
    const client = await this.sql.begin(async (tx) => {
      const t = tx as unknown as Sql;
      const row = await repo.insertClient(t, {
        clientId,
        accountId,
        name: input.name,
        tier: input.tier,
        mode,
        enabled: true,
        expiresAt: input.expires_at ? new Date(input.expires_at) : null,
        ipAllowlist: input.ip_allowlist ?? [],
        scopeBrands: input.scope?.brands ?? null,
        scopeOwnerships: input.scope?.ownerships ?? null,
        limitPerMinute: input.limits?.per_minute ?? null,
        limitPerDay: input.limits?.per_day ?? null,
      });
      await repo.insertApiKey(t, clientId, secretHash(apiKey));
      return row;
    });
    return { client, apiKey };
  }

  async getClient(clientId: string): Promise<repo.ClientRow> {
    assertIdShape('client', clientId);
    const c = await repo.clientById(this.sql, clientId);
    if (!c) throw new AppError('not_found', `No client ${clientId}.`);
    return c;
  }

  async listClients(accountId: string): Promise<repo.ClientRow[]> {
    assertIdShape('account', accountId);
    if (!(await accountById(this.sql, accountId))) throw new AppError('not_found', `No account ${accountId}.`);
    return repo.clientsByAccount(this.sql, accountId);
  }

  /** Applies only the fields present; `null` clears scope lists, limits and expiry. */
  async updateClient(clientId: string, patch: UpdateClientInput): Promise<repo.ClientRow> {
    assertIdShape('client', clientId);
    let ended: number | null = null;
    const updated = await this.sql.begin(async (tx) => {
      const t = tx as unknown as Sql;
      const cur = await repo.clientById(t, clientId, true);
      if (!cur) throw new AppError('not_found', `No client ${clientId}.`);
      // Disabling ends every session: re-enabling must never revive a token issued before.
      // See docs/tokens-and-sessions.md#ending-sessions
      if (patch.enabled === false && cur.enabled) {
        ended = Date.now();
        await repo.endClientSessions(t, clientId, new Date(ended));
      }
      const has = (k: keyof UpdateClientInput) => Object.hasOwn(patch, k) && patch[k] !== undefined;
      const lim = patch.limits ?? {};
      const hasLim = (k: 'per_minute' | 'per_day') => Object.hasOwn(lim, k) && lim[k] !== undefined;
      const scope = patch.scope;
      return repo.updateClient(t, {
        clientId,
        accountId: cur.accountId,
        name: patch.name ?? cur.name,
        tier: patch.tier ?? cur.tier,
        mode: cur.mode,
        enabled: patch.enabled ?? cur.enabled,
        expiresAt: has('expires_at') ? (patch.expires_at ? new Date(patch.expires_at) : null) : cur.expiresAt,
        ipAllowlist: patch.ip_allowlist ?? cur.ipAllowlist,
        scopeBrands: scope === null ? null : scope && scope.brands !== undefined ? scope.brands : cur.scopeBrands,
        scopeOwnerships:
          scope === null ? null : scope && scope.ownerships !== undefined ? scope.ownerships : cur.scopeOwnerships,
        limitPerMinute: hasLim('per_minute') ? lim.per_minute! : cur.limitPerMinute,
        limitPerDay: hasLim('per_day') ? lim.per_day! : cur.limitPerDay,
      });
    });
    await this.afterChange(clientId, ended);
    return updated!;
  }

  /**
   * A new key now. By default the previous one keeps working for the overlap window, then stops, and
   * sessions go on. With `retirePreviousNow` (a leaked key) the previous key stops at once and every access
   * and refresh token of the client ends with it. See docs/tokens-and-sessions.md#key-rotation
   */
  async rotateKey(
    clientId: string,
    opts: { retirePreviousNow?: boolean } = {},
  ): Promise<{
    apiKey: string;
    previousKeyValidUntil: Date | null;
    sessionsEnded: SessionsEnded | null;
  }> {
    assertIdShape('client', clientId);
    let apiKey = '';
    let ended: SessionsEnded | null = null;
    const until = await this.sql.begin(async (tx) => {
      const t = tx as unknown as Sql;
      const client = await repo.clientById(t, clientId, true);
      if (!client) throw new AppError('not_found', `No client ${clientId}.`);
      apiKey = newApiKey(client.mode); // a test client's keys stay test keys
      const retiredAt = await repo.retireKeys(t, clientId, opts.retirePreviousNow ? 0 : this.opts.keyOverlapSec);
      await repo.insertApiKey(t, clientId, secretHash(apiKey));
      if (opts.retirePreviousNow) {
        const at = new Date();
        ended = { endedAt: at, refreshTokensRevoked: await repo.endClientSessions(t, clientId, at) };
      }
      return retiredAt;
    });
    await this.afterChange(clientId, (ended as SessionsEnded | null)?.endedAt.getTime() ?? null);
    return { apiKey, previousKeyValidUntil: until, sessionsEnded: ended };
  }

  /** Ends every access and refresh token of the client now; its keys keep working for new sessions. */
  async revokeSessions(clientId: string): Promise<SessionsEnded> {
    const ended = await this.sql.begin(async (tx) => {
      const t = tx as unknown as Sql;
      if (!(await repo.clientById(t, clientId, true))) throw new AppError('not_found', `No client ${clientId}.`);
      const at = new Date();
      return { endedAt: at, refreshTokensRevoked: await repo.endClientSessions(t, clientId, at) };
    });
    await this.afterChange(clientId, ended.endedAt.getTime());
    return ended;
  }

  private async afterChange(clientId: string, sessionsEndedAtMs: number | null): Promise<void> {
    this.opts.onChange?.(clientId);
    if (sessionsEndedAtMs !== null) await this.opts.onSessionsEnded?.(clientId, sessionsEndedAtMs);
  }
}

/** The operator-facing JSON of a client (never a key). */
export function clientView(c: repo.ClientRow) {
  return {
    client_id: c.clientId,
    account_id: c.accountId,
    name: c.name,
    tier: c.tier,
    mode: c.mode,
    enabled: c.enabled,
    expires_at: c.expiresAt?.toISOString() ?? null,
    ip_allowlist: c.ipAllowlist,
    scope: { brands: c.scopeBrands, ownerships: c.scopeOwnerships },
    limits: { per_minute: c.limitPerMinute, per_day: c.limitPerDay },
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
  };
}
