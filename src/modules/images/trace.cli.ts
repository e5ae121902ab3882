// `npm run admin -- trace <token-or-url>`: the CLI twin of GET /admin/v1/trace/{token}.

import type { KeyEntry } from '../../kernel/key-ring.ts';
import type { Logger } from '../../kernel/logger.ts';
import type { Sql } from '../../platform/db/client.ts';
import type { SharedState } from '../../platform/shared-state/shared-state.ts';
import { GrantRecorder } from './grant-recorder.ts';
import { ImageTraceService, type TraceReport } from './image-trace.service.ts';

export async function traceToken(
  deps: { sql: Sql; state: SharedState; keys: KeyEntry[]; log: Logger },
  tokenOrUrl: string,
): Promise<TraceReport> {
  const recorder = new GrantRecorder(deps.sql, deps.log);
  try {
    return await new ImageTraceService({ ...deps, recorder }).trace(tokenOrUrl);
  } finally {
    await recorder.close();
  }
}
