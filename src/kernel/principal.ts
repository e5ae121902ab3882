// Who is calling: an authenticated API client of an account. Produced by the auth service from a bearer
// token after every per-client control passed; consumed by services (billing, scope checks, image URLs).

export type Tier = 'free' | 'standard' | 'enterprise';

/** A live client spends the balance on the live catalog; a test client reads the sandbox for free (docs/test-mode.md). */
export type ClientMode = 'live' | 'test';

export interface ClientScope {
  /** null: every brand. Otherwise the brands this client may read (case-insensitive). */
  brands: string[] | null;
  /** null: every ownership studio. */
  ownerships: string[] | null;
}

export interface Principal {
  clientId: string;
  accountId: string;
  tier: Tier;
  mode: ClientMode;
  scope: ClientScope;
  /** Per-client rate limits; null = the tier's default. */
  limits: { perMinute: number | null; perDay: number | null };
  /** The access token's jti (for revocation and logs). */
  tokenId: string;
}
