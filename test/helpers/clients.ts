// Provisions an account + API client through the admin HTTP API and exchanges its key for tokens, the way
// an operator and a client would. Every call makes a fresh account, so tests never share balances.
import { randomBytes } from 'node:crypto';
import type { TestApp } from './app.ts';
import { call } from './http.ts';

export interface ProvisionOptions {
  /** Credits (not units): 10, "2.6". Default: the 10 welcome credits. */
  credits?: number | string;
  tier?: 'free' | 'standard' | 'enterprise';
  scope?: { brands?: string[]; ownerships?: string[] };
  ip_allowlist?: string[];
  limits?: { per_minute?: number; per_day?: number };
}

export interface ProvisionedClient {
  accountId: string;
  clientId: string;
  apiKey: string;
  accessToken: string;
  refreshToken: string;
}

export async function provisionClient(app: TestApp, opts: ProvisionOptions = {}): Promise<ProvisionedClient> {
  const tag = randomBytes(4).toString('hex');
  const acct = await call(app.url, '/admin/v1/accounts', {
    token: app.adminToken,
    body: { name: `test account ${tag}`, ...(opts.credits !== undefined ? { credits: opts.credits } : {}) },
  });
  if (acct.status !== 201)
    throw new Error(`provisionClient: create account ${acct.status} ${JSON.stringify(acct.body)}`);
  const cl = await call(app.url, `/admin/v1/accounts/${acct.body.account_id}/clients`, {
    token: app.adminToken,
    body: {
      name: `test client ${tag}`,
      tier: opts.tier ?? 'standard',
      ...(opts.scope ? { scope: opts.scope } : {}),
      ...(opts.ip_allowlist ? { ip_allowlist: opts.ip_allowlist } : {}),
      ...(opts.limits ? { limits: opts.limits } : {}),
    },
  });
  if (cl.status !== 201) throw new Error(`provisionClient: create client ${cl.status} ${JSON.stringify(cl.body)}`);
  const tok = await exchangeKey(app.url, cl.body.client_id, cl.body.api_key);
  return { accountId: acct.body.account_id, clientId: cl.body.client_id, apiKey: cl.body.api_key, ...tok };
}

/** POST /api/v1/auth/token; throws unless 200. Headers let a test pose as another IP behind a trusted proxy. */
export async function exchangeKey(url: string, clientId: string, apiKey: string, headers?: Record<string, string>) {
  const res = await call(url, '/api/v1/auth/token', { body: { client_id: clientId, api_key: apiKey }, headers });
  if (res.status !== 200) throw new Error(`exchangeKey: ${res.status} ${JSON.stringify(res.body)}`);
  return { accessToken: res.body.access_token as string, refreshToken: res.body.refresh_token as string };
}
