// Revocation marks that every node must see within seconds: a client's "not before" moment (refresh-token
// reuse) and single revoked access tokens (by jti). Shared state makes them visible on every node at once;
// the not-before moment is also written to Postgres (api_clients.not_before), so it survives a restart of an
// in-process store and is read back with the client row.
import type { Sql } from '../../platform/db/client.ts';
import type { SharedState } from '../../platform/shared-state/shared-state.ts';
import { setClientNotBefore } from '../accounts/index.ts';
import { ACCESS_TTL_SEC } from './jwt.ts';

export { ACCESS_TTL_SEC };

// Access tokens live 1 h: a mark older than that can only concern expired tokens.
const MARK_TTL_MS = (ACCESS_TTL_SEC + 120) * 1000;

const nbfKey = (clientId: string) => `auth:nbf:${clientId}`;
const jtiKey = (jti: string) => `auth:jti:${jti}`;

export class Revocations {
  constructor(
    private readonly sql: Sql,
    private readonly state: SharedState,
  ) {}

  /** Every access token of the client issued before `atMs` stops working. */
  async revokeClientTokensBefore(clientId: string, atMs: number): Promise<void> {
    await Promise.all([
      this.state.set(nbfKey(clientId), String(atMs), MARK_TTL_MS),
      setClientNotBefore(this.sql, clientId, new Date(atMs)),
    ]);
  }

  /**
   * Only the shared-state half, for callers that already wrote the durable mark in their own transaction
   * (ending sessions on disable, rotation or an operator's revoke-sessions).
   */
  async markClientNotBefore(clientId: string, atMs: number): Promise<void> {
    await this.state.set(nbfKey(clientId), String(atMs), MARK_TTL_MS);
  }

  async revokeAccessToken(jti: string, expSec: number): Promise<void> {
    const ttl = expSec * 1000 - Date.now() + 60_000;
    if (ttl > 0) await this.state.set(jtiKey(jti), '1', ttl);
  }

  /**
   * The shared-state half of a request's revocation check, one atomic round trip. The store's generation is a
   * not-before for everyone: revocations older than it may have been lost (docs/durability.md#the-generation-mark).
   */
  async check(clientId: string, jti: string): Promise<{ notBeforeMs: number; revoked: boolean }> {
    const {
      values: [nbf, revoked],
      generationMs,
    } = await this.state.readFenced([nbfKey(clientId), jtiKey(jti)]);
    return { notBeforeMs: Math.max(nbf ? Number(nbf) : 0, generationMs), revoked: revoked !== null };
  }
}
