// `npm run admin -- trace <token-or-url>`: the CLI twin of GET /admin/v1/trace/{token}.
import type { Sql } from '../db/client.ts';
import type { KeyEntry } from '../config.ts';
import type { SharedState } from '../shared-state/shared-state.ts';
import type { Logger } from '../kernel/logger.ts';
import { GrantRecorder } from '../images/grant-recorder.ts';
import { ImageTraceService, type TraceReport } from '../images/image-trace.service.ts';

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
