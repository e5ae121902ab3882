// The real ImageUrlIssuer: one sealed (opaque), IP-bound, one-shot URL per billed variant, and a trace record per URL
// handed to the batching GrantRecorder (no database round trip here: issue() is synchronous on purpose).

import { newUlid } from '../../kernel/ids.ts';
import type { KeyEntry } from '../../kernel/key-ring.ts';
import { type RandomPool, randomPool } from '../../kernel/random-pool.ts';
import type { GrantRecorder } from './grant-recorder.ts';
import type { ImageGrant, ImageUrlIssuer } from './image-grant.ts';
import { type ImageClaims, sealToken, URL_TTL_SEC } from './signed-url-token.ts';

const newGrantId = () => `grt_${newUlid()}`;

const IMAGE_PATH = '/api/v1/image/';

export class SignedUrlIssuer implements ImageUrlIssuer {
  constructor(
    private readonly keys: KeyEntry[],
    private readonly recorder: GrantRecorder,
    private readonly opts: {
      publicBaseUrl?: string;
      now?: () => number;
      /** Nonce source: the process's pool unless the composition root hands one in. */
      random?: RandomPool;
    } = {},
  ) {}

  /** Signs one token (also used by tests and the CLI); records its grant for tracing. */
  issueToken(grant: ImageGrant): { token: string; claims: ImageClaims } {
    const key = this.keys[0];
    // To the millisecond: the one-shot fence compares it with a generation start in milliseconds.
    const iatMs = Math.floor((this.opts.now ?? Date.now)());
    const iat = Math.floor(iatMs / 1000);
    const claims: ImageClaims = {
      gid: newGrantId(),
      rid: grant.requestId,
      client_id: grant.clientId,
      account_id: grant.accountId,
      tier: grant.tier,
      barcode: grant.gtin14,
      printed: grant.barcode,
      variant: grant.variant,
      size: grant.size,
      format: grant.format,
      ...(grant.sourceBlobKey ? { src: grant.sourceBlobKey } : {}),
      ip: grant.ip,
      iat,
      iat_ms: iatMs,
      exp: iat + URL_TTL_SEC,
      nonce: (this.opts.random ?? randomPool).take(16).toString('base64url'),
      kid: key.kid,
    };
    this.recorder.grant({
      grant_id: claims.gid,
      client_id: claims.client_id,
      account_id: claims.account_id,
      tier: claims.tier,
      request_id: claims.rid,
      gtin14: claims.barcode,
      variant: claims.variant,
      size: claims.size,
      format: claims.format,
      ip: claims.ip,
      kid: claims.kid,
      issued_at: new Date(iatMs),
      expires_at: new Date(claims.exp * 1000),
    });
    return { token: sealToken(claims, key), claims };
  }

  issue(grants: ImageGrant[], baseUrl: string): string[] {
    const base = (this.opts.publicBaseUrl ?? baseUrl).replace(/\/+$/, '');
    return grants.map((g) => `${base}${IMAGE_PATH}${this.issueToken(g).token}`);
  }
}
