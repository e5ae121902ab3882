// GET /api/v1/health: liveness of the process and its dependencies. 503 + Retry-After when one is down.
// GET /livez: the process answers (nothing else is checked: a dependency down is no reason to restart it).
// GET /readyz: this node can serve (database, shared state, blob store) and is not draining
// (docs/operations.md#readiness-and-drain). Both are for load balancers and supervisors, outside /api/v1.

import { publicRequestId } from '../../kernel/request-context.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import type { Sql } from '../db/client.ts';
import type { Route } from '../http/router.ts';
import type { SharedState } from '../shared-state/shared-state.ts';
import type { Readiness } from './readiness.ts';

const TIMEOUT_MS = 1500;

async function probe(fn: () => Promise<unknown>): Promise<'ok' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, rej) => {
        timer = setTimeout(() => rej(new Error('timeout')), TIMEOUT_MS);
      }),
    ]);
    return 'ok';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(deps: { sql: Sql; state: SharedState; blobs: BlobStore; readiness: Readiness }): Route[] {
  const noStore = { 'Cache-Control': 'no-store' };
  return [
    {
      method: 'GET',
      path: '/livez',
      access: 'public',
      async handler() {
        return { status: 200, headers: noStore, json: { status: 'ok' } };
      },
    },
    {
      method: 'GET',
      path: '/readyz',
      access: 'public',
      async handler() {
        // Draining: no probe, the answer cannot change back.
        if (deps.readiness.draining)
          return { status: 503, headers: { ...noStore, 'Retry-After': '5' }, json: { status: 'draining' } };
        const inProcess = deps.state.kind !== 'redis';
        const [database, sharedState, blobs] = await Promise.all([
          probe(() => deps.sql`/* readyz */ select 1`),
          inProcess ? ('ok' as const) : probe(() => deps.state.ping()),
          probe(() => deps.blobs.ping()),
        ]);
        const ok = database === 'ok' && sharedState === 'ok' && blobs === 'ok';
        return {
          status: ok ? 200 : 503,
          headers: ok ? noStore : { ...noStore, 'Retry-After': '5' },
          json: { status: ok ? 'ready' : 'unavailable', checks: { database, shared_state: sharedState, blobs } },
        };
      },
    },
    {
      method: 'GET',
      path: '/api/v1/health',
      access: 'public',
      async handler({ ctx }) {
        // The in-process stand-in is not Redis: say so instead of reporting a Redis that is not there
        // (docs/rest.md#health).
        const inProcess = deps.state.kind !== 'redis';
        const [database, redis, blobs] = await Promise.all([
          probe(() => deps.sql`/* health */ select 1`),
          inProcess ? ('not_configured' as const) : probe(() => deps.state.ping()),
          probe(() => deps.blobs.ping()),
        ]);
        // The blob store is reported, not gating: only image downloads need it, and every node shares the same
        // bucket, so taking this node out of a load balancer would not help (docs/rest.md#health).
        const ok = database === 'ok' && redis !== 'down';
        const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
        if (!ok) headers['Retry-After'] = '5';
        return {
          status: ok ? 200 : 503,
          headers,
          json: {
            status: ok ? 'ok' : 'degraded',
            checks: {
              database,
              redis,
              shared_state: inProcess ? 'in-process' : 'redis',
              redis_mode: deps.state.kind,
              blobs,
              blob_store: deps.blobs.kind,
            },
            request_id: publicRequestId(ctx),
          },
        };
      },
    },
  ];
}
