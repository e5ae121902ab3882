// Admin routes that end a client's sessions, and the optional body of rotate-key. Ending sessions is durable
// (PostgreSQL) and published in shared state. See docs/tokens-and-sessions.md#ending-sessions
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { parseInput } from '../../kernel/parse-input.ts';
import { readJson } from '../../platform/http/body.ts';
import type { Route } from '../../platform/http/router.ts';
import type { ClientsService, SessionsEnded } from './clients.service.ts';

const NO_STORE = { 'Cache-Control': 'no-store' };

const rotateKeyBody = z.strictObject({ retire_previous_now: z.boolean().optional() });

/** rotate-key takes an optional JSON body; no body at all means the defaults (an overlap window). */
export async function readRotateKeyOptions(raw: IncomingMessage): Promise<{ retirePreviousNow: boolean }> {
  const hasBody = Number(raw.headers['content-length'] ?? 0) > 0 || raw.headers['transfer-encoding'] !== undefined;
  if (!hasBody) {
    raw.resume();
    return { retirePreviousNow: false };
  }
  const body = parseInput(rotateKeyBody, await readJson(raw));
  return { retirePreviousNow: body.retire_previous_now === true };
}

export function sessionsEndedView(clientId: string, e: SessionsEnded) {
  return {
    client_id: clientId,
    sessions_ended_at: e.endedAt.toISOString(),
    refresh_tokens_revoked: e.refreshTokensRevoked,
  };
}

export function adminClientSessionRoutes(deps: { clients: ClientsService }): Route[] {
  return [
    {
      method: 'POST',
      path: '/admin/v1/clients/:clientId/revoke-sessions',
      access: 'admin',
      async handler({ raw, params, ctx }) {
        raw.resume();
        const e = await deps.clients.revokeSessions(params.clientId);
        ctx.log.info(
          { client_id: params.clientId, refresh_tokens_revoked: e.refreshTokensRevoked },
          'client sessions revoked',
        );
        return { status: 200, headers: NO_STORE, json: sessionsEndedView(params.clientId, e) };
      },
    },
  ];
}
