// The real ImageUrlIssuer: one sealed (opaque), IP-bound, one-shot URL per billed variant, and a trace record per URL
// handed to the batching GrantRecorder (no database round trip here: issue() is synchronous on purpose).
import { randomBytes } from 'node:crypto';
import type { KeyEntry } from '../config.ts';
import { newUlid } from '../ids.ts';
import type { ImageGrant, ImageUrlIssuer } from './image-url-issuer.ts';
import type { GrantRecorder } from './grant-recorder.ts';
import { sealToken, URL_TTL_SEC, type ImageClaims } from './signed-url-token.ts';

export const newGrantId = () => `grt_${newUlid()}`;

export const IMAGE_PATH = '/api/v1/image/';

// Nonces come from a pooled block of CSPRNG bytes: a products(barcodes: 100) query signs 100 URLs, and one
// randomBytes call per URL was a visible share of its CPU time.
let pool = Buffer.alloc(0);
let offset = 0;
function nonce(): string {
  if (offset + 16 > pool.length) {
    pool = randomBytes(16 * 256);
    offset = 0;
  }
  offset += 16;
  return pool.toString('base64url', offset - 16, offset);
}

export class SignedUrlIssuer implements ImageUrlIssuer {
  constructor(
    private readonly keys: KeyEntry[],
    private readonly recorder: GrantRecorder,
    private readonly opts: { publicBaseUrl?: string; now?: () => number } = {},
  ) {}

  /** Signs one token (also used by tests and the CLI); records its grant for tracing. */
  issueToken(grant: ImageGrant): { token: string; claims: ImageClaims } {
    const key = this.keys[0];
    const iat = Math.floor((this.opts.now ?? Date.now)() / 1000);
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
      exp: iat + URL_TTL_SEC,
      nonce: nonce(),
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
      issued_at: new Date(iat * 1000),
      expires_at: new Date(claims.exp * 1000),
    });
    return { token: sealToken(claims, key), claims };
  }

  issue(grants: ImageGrant[], baseUrl: string): string[] {
    const base = (this.opts.publicBaseUrl ?? baseUrl).replace(/\/+$/, '');
    return grants.map((g) => `${base}${IMAGE_PATH}${this.issueToken(g).token}`);
  }
}
