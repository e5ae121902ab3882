// Who was issued a signed image URL, when, from which IP, and whether (and when, from where) it was redeemed.
// The token is sealed: only a node holding its key can open it, and then its claims name the client,
// request, product and IP, so even a URL whose grant row is not in the table yet can be traced; the tables add
// issue/redemption records. A token under a key no longer configured cannot be opened (nor traced).
// See docs/tokens-and-sessions.md#image-url-tokens

import { AppError } from '../../kernel/errors.ts';
import type { KeyEntry } from '../../kernel/key-ring.ts';
import type { Sql } from '../../platform/db/client.ts';
import type { SharedState } from '../../platform/shared-state/shared-state.ts';
import type { GrantRecorder } from './grant-recorder.ts';
import { grantTrace } from './image.repository.ts';
import { usedKey } from './image-delivery.service.ts';
import { openToken } from './signed-url-token.ts';

export interface TraceReport {
  grant_id: string;
  signature: 'valid' | 'invalid';
  client_id: string;
  account_id: string;
  tier: string;
  /** Request id of the paid read that issued the URL. */
  issue_request_id: string;
  barcode: string;
  gtin14: string;
  variant: string;
  size: string;
  format: string;
  ip: string;
  kid: string;
  issued_at: string;
  expires_at: string;
  /** true when the grant row was found in the trace table (false: only the token's own claims). */
  recorded: boolean;
  redeemed: boolean;
  redeemed_at: string | null;
  redeemed_ip: string | null;
  redemption_request_id: string | null;
}

export class ImageTraceService {
  constructor(private readonly deps: { sql: Sql; state: SharedState; keys: KeyEntry[]; recorder: GrantRecorder }) {}

  async trace(tokenOrUrl: string): Promise<TraceReport> {
    const token = tokenOrUrl.includes('/') ? tokenOrUrl.slice(tokenOrUrl.lastIndexOf('/') + 1) : tokenOrUrl;
    const opened = openToken(token, this.deps.keys);
    if (!opened.ok) throw new AppError('bad_request', 'Not a signed image URL token that this service can open.');
    const c = opened.claims;
    // This node's buffered rows first, so a trace right after issuing/redeeming is complete.
    await this.deps.recorder.flush();
    const { grant, redemption } = await grantTrace(this.deps.sql, c.gid);
    // A redemption on another node may not be flushed yet: the one-shot marker in shared state knows.
    const marker = redemption ? null : await this.deps.state.get(usedKey(c.nonce));
    return {
      grant_id: c.gid,
      signature: 'valid',
      client_id: c.client_id,
      account_id: c.account_id,
      tier: c.tier,
      issue_request_id: c.rid,
      barcode: c.printed,
      gtin14: c.barcode,
      variant: c.variant,
      size: c.size,
      format: c.format,
      ip: c.ip,
      kid: c.kid,
      issued_at: new Date(c.iat_ms).toISOString(),
      expires_at: new Date(c.exp * 1000).toISOString(),
      recorded: grant !== null,
      redeemed: redemption !== null || marker !== null,
      redeemed_at: redemption?.redeemed_at.toISOString() ?? null,
      redeemed_ip: redemption?.ip ?? null,
      redemption_request_id: redemption?.request_id ?? marker?.split(' ')[1] ?? null,
    };
  }
}
