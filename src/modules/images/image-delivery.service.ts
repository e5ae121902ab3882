// Redeeming a signed image URL (docs/tokens-and-sessions.md#image-url-tokens). The checks run in the
// contract's order, each with its own
// error: malformed, signature, expiry (30 s skew grace), IP binding, one-shot. The token is redeemed only
// after its bytes are ready, so a failure on our side never burns a paid URL; the redemption itself is one
// atomic claimOnce on the shared state, so exactly one GET wins across every node. HEAD checks, never redeems.

import { normalizeIp } from '../../kernel/client-ip.ts';
import { AppError } from '../../kernel/errors.ts';
import type { KeyEntry } from '../../kernel/key-ring.ts';
import type { Sql } from '../../platform/db/client.ts';
import type { SharedState } from '../../platform/shared-state/shared-state.ts';
import type { GrantRecorder } from './grant-recorder.ts';
import { storedImage } from './image.repository.ts';
import type { Rendition, RenditionService } from './rendition.service.ts';
import { CLOCK_SKEW_SEC, type ImageClaims, openToken } from './signed-url-token.ts';

export interface Delivery {
  claims: ImageClaims;
  rendition: Rendition;
  /** Seconds until the URL expires (Cache-Control max-age). */
  maxAgeSec: number;
}

export const usedKey = (nonce: string) => `img:used:${nonce}`;

export class ImageDeliveryService {
  constructor(
    private readonly deps: {
      sql: Sql;
      state: SharedState;
      keys: KeyEntry[];
      renditions: RenditionService;
      recorder: GrantRecorder;
      now?: () => number;
      onRedemption?: (result: string) => void;
    },
  ) {}

  /** Verifies, renders and (GET) redeems; every GET's outcome is told to `onRedemption` (ok, or the error code). */
  async deliver(token: string, req: { ip: string; requestId: string; redeem: boolean }): Promise<Delivery> {
    if (!req.redeem || !this.deps.onRedemption) return this.deliverOnce(token, req);
    try {
      const d = await this.deliverOnce(token, req);
      this.deps.onRedemption('ok');
      return d;
    } catch (e) {
      this.deps.onRedemption(e instanceof AppError ? e.code : 'error');
      throw e;
    }
  }

  private async deliverOnce(token: string, req: { ip: string; requestId: string; redeem: boolean }): Promise<Delivery> {
    const { state, keys, renditions, recorder } = this.deps;
    const v = openToken(token, keys);
    if (!v.ok && v.reason === 'malformed') throw new AppError('bad_request', 'The image URL is malformed.');
    if (!v.ok) throw new AppError('signed_url_invalid', 'The image URL signature is not valid.');
    const c = v.claims;
    const nowMs = (this.deps.now ?? Date.now)();
    const nowSec = Math.floor(nowMs / 1000);
    if (nowSec > c.exp + CLOCK_SKEW_SEC)
      throw new AppError('signed_url_expired', 'The image URL has expired; request the product again for a fresh one.');
    const ip = normalizeIp(req.ip);
    if (ip !== normalizeIp(c.ip))
      throw new AppError('signed_url_ip_mismatch', 'The image URL was issued to another IP address.');
    // HEAD only looks. A GET decides atomically with the setIfAbsent below, one shared-state round trip on the
    // hot path; a replayed GET first finds its rendition, which the first redemption left in the cache.
    // Both steps are fenced by the store's generation: a URL issued before the shared store lost its data may
    // have been redeemed in the lost data, so it is refused (docs/durability.md#the-generation-mark).
    if (!req.redeem) {
      const {
        values: [mark],
        generationMs,
      } = await state.readFenced([usedKey(c.nonce)]);
      if (c.iat_ms < generationMs) throw stale();
      if (mark) throw used();
    }

    const sourceKey = c.src ?? (await storedImage(this.deps.sql, c.barcode, c.variant))?.blob_key;
    if (!sourceKey) throw new AppError('not_found', 'The image is no longer available.');
    const viewer = { clientId: c.client_id, tier: c.tier, grantId: c.gid };
    const rendition =
      renditions.hot(sourceKey, c.size, c.format, viewer) ??
      (await renditions.get(sourceKey, c.size, c.format, viewer));

    if (req.redeem) {
      // Remembered until the URL could no longer pass the expiry check anyway.
      const ttlMs = (c.exp + CLOCK_SKEW_SEC + 60) * 1000 - nowMs;
      let claim: Awaited<ReturnType<SharedState['claimOnce']>>;
      try {
        claim = await state.claimOnce(usedKey(c.nonce), `${c.gid} ${req.requestId}`, Math.max(ttlMs, 1000), c.iat_ms);
      } catch (e) {
        rendition.stream?.destroy();
        throw e;
      }
      if (claim !== 'won') {
        rendition.stream?.destroy();
        throw claim === 'stale' ? stale() : used();
      }
      recorder.redeemed({
        grant_id: c.gid,
        redeemed_at: new Date(nowMs),
        ip,
        request_id: req.requestId,
      });
    }
    return { claims: c, rendition, maxAgeSec: Math.max(0, c.exp - nowSec) };
  }
}

const stale = () =>
  new AppError(
    'signed_url_expired',
    'The image URL was issued before a reset of the one-shot records; request the product again for a fresh one.',
  );
const used = () =>
  new AppError('signed_url_used', 'The image URL has already been used; each URL is good for one download.');
