// A per-node cache of client rows for the per-request controls. A committed change to a client is announced on
// `kc_invalidate` and evicts its row on every node at once (docs/operations.md#cache-invalidation-across-nodes);
// the TTL (AUTH_CLIENT_CACHE_MS, at most 5 s) is the backstop: it bounds how long a disabled, re-scoped or
// expired client can still pass on a node that did not make the change while notifications are lost.

import { buildAllowlist, type IpAllowlist } from '../../kernel/ip-allowlist.ts';
import type { Sql } from '../../platform/db/client.ts';
import { readWithRetry } from '../../platform/db/read-retry.ts';
import { type ClientRow, clientById } from '../accounts/index.ts';

export interface CachedClient {
  row: ClientRow;
  allowlist: IpAllowlist;
}

interface Entry {
  value: CachedClient | null;
  at: number;
  pending?: Promise<CachedClient | null>;
}

/**
 * The default bound (AUTH_CLIENT_CACHE_ENTRIES; a node sees few distinct clients within a TTL); published as
 * kc_cache_max_entries{cache="auth_clients"}.
 */
const CLIENT_CACHE_MAX_ENTRIES = 50_000;

export class ClientCache {
  private readonly map = new Map<string, Entry>();

  constructor(
    private readonly sql: Sql,
    private readonly ttlMs: number,
    private readonly maxEntries = CLIENT_CACHE_MAX_ENTRIES,
  ) {}

  async get(clientId: string): Promise<CachedClient | null> {
    const now = Date.now();
    const e = this.map.get(clientId);
    if (e?.pending) return e.pending;
    if (e && now - e.at < this.ttlMs) return e.value;
    // One load per client at a time, however many requests arrive together.
    const pending = readWithRetry(() => clientById(this.sql, clientId)).then((row) =>
      row ? { row, allowlist: buildAllowlist(row.ipAllowlist) } : null,
    );
    if (this.map.size >= this.maxEntries) this.map.clear();
    this.map.set(clientId, { value: null, at: 0, pending });
    try {
      const value = await pending;
      // Invalidated while loading (the entry is gone or newer): the row may predate the change; keep nothing.
      const still = this.map.get(clientId)?.pending === pending;
      if (still && this.ttlMs > 0) this.map.set(clientId, { value, at: Date.now() });
      else if (still) this.map.delete(clientId);
      return value;
    } catch (err) {
      if (this.map.get(clientId)?.pending === pending) this.map.delete(clientId);
      throw err;
    }
  }

  /** Entries held now (kc_cache_entries{cache="auth_clients"}). */
  get size(): number {
    return this.map.size;
  }

  invalidate(clientId: string): void {
    this.map.delete(clientId);
  }

  /** Drops these clients' rows, or every row (null: a change to many clients, or notifications missed). */
  evict(clientIds: readonly string[] | null): void {
    if (clientIds === null) this.map.clear();
    else for (const id of clientIds) this.map.delete(id);
  }
}
