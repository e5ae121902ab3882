// API clients: creation (the key is returned once, only its hash is stored), changes, key rotation.
import { newUlid } from '../kernel/ids.ts';
import type { Sql } from '../db/client.ts';
import { AppError } from '../kernel/errors.ts';
import { newApiKey, secretHash } from '../kernel/secrets.ts';
import * as repo from './clients.repository.ts';
import { accountById } from './accounts.repository.ts';
import type { CreateClientInput, UpdateClientInput } from './accounts.input.ts';

export type { ClientRow } from './clients.repository.ts';

export interface ClientsServiceOptions {
  /** How long the previous key keeps working after a rotation. */
  keyOverlapSec: number;
  /** Told about every change, so this node's auth cache drops the row at once (other nodes: TTL ≤ 5 s). */
  onChange?: (clientId: string) => void;
}

export class ClientsService {
  constructor(
    private readonly sql: Sql,
    private readonly opts: ClientsServiceOptions,
  ) {}

  async createClient(accountId: string, input: CreateClientInput): Promise<{ client: repo.ClientRow; apiKey: string }> {
    if (!(await accountById(this.sql, accountId))) throw new AppError('not_found', `No account ${accountId}.`);
    const apiKey = newApiKey();
    const clientId = `cl_${newUlid()}`;
    const client = await this.sql.begin(async (tx) => {
      const t = tx as unknown as Sql;
      const row = await repo.insertClient(t, {
        clientId,
        accountId,
        name: input.name,
        tier: input.tier,
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
    const c = await repo.clientById(this.sql, clientId);
    if (!c) throw new AppError('not_found', `No client ${clientId}.`);
    return c;
  }

  async listClients(accountId: string): Promise<repo.ClientRow[]> {
    if (!(await accountById(this.sql, accountId))) throw new AppError('not_found', `No account ${accountId}.`);
    return repo.clientsByAccount(this.sql, accountId);
  }

  /** Applies only the fields present; `null` clears scope lists, limits and expiry. */
  async updateClient(clientId: string, patch: UpdateClientInput): Promise<repo.ClientRow> {
    const updated = await this.sql.begin(async (tx) => {
      const t = tx as unknown as Sql;
      const cur = await repo.clientById(t, clientId, true);
      if (!cur) throw new AppError('not_found', `No client ${clientId}.`);
      const has = (k: keyof UpdateClientInput) =>
        Object.prototype.hasOwnProperty.call(patch, k) && patch[k] !== undefined;
      const lim = patch.limits ?? {};
      const hasLim = (k: 'per_minute' | 'per_day') =>
        Object.prototype.hasOwnProperty.call(lim, k) && lim[k] !== undefined;
      const scope = patch.scope;
      return repo.updateClient(t, {
        clientId,
        accountId: cur.accountId,
        name: patch.name ?? cur.name,
        tier: patch.tier ?? cur.tier,
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
    this.opts.onChange?.(clientId);
    return updated!;
  }

  /** A new key now; the previous one keeps working for the overlap window, then stops. */
  async rotateKey(clientId: string): Promise<{ apiKey: string; previousKeyValidUntil: Date | null }> {
    const apiKey = newApiKey();
    const until = await this.sql.begin(async (tx) => {
      const t = tx as unknown as Sql;
      if (!(await repo.clientById(t, clientId, true))) throw new AppError('not_found', `No client ${clientId}.`);
      const retiredAt = await repo.retireKeys(t, clientId, this.opts.keyOverlapSec);
      await repo.insertApiKey(t, clientId, secretHash(apiKey));
      return retiredAt;
    });
    this.opts.onChange?.(clientId);
    return { apiKey, previousKeyValidUntil: until };
  }
}

/** The operator-facing JSON of a client (never a key). */
export function clientView(c: repo.ClientRow) {
  return {
    client_id: c.clientId,
    account_id: c.accountId,
    name: c.name,
    tier: c.tier,
    enabled: c.enabled,
    expires_at: c.expiresAt?.toISOString() ?? null,
    ip_allowlist: c.ipAllowlist,
    scope: { brands: c.scopeBrands, ownerships: c.scopeOwnerships },
    limits: { per_minute: c.limitPerMinute, per_day: c.limitPerDay },
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
  };
}
