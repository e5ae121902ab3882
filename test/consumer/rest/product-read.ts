// A REST consumer as an app team writes it: a client generated from schema/openapi.yaml, a billed read of one
// product's product_meta. Two mainstream generators, one function each. The generated code lives in
// ./generated/ (made by test/platform/openapi/consumers.test.ts, git-ignored).
import createClient from 'openapi-fetch';
import { createClient as createHeyClient } from './generated/hey-api/client/index.ts';
import { exchangeApiKey, getProduct } from './generated/hey-api/index.ts';
import type { paths } from './generated/openapi-typescript/schema.ts';

export interface Read {
  brand: string;
  debited: string | null;
}

/** openapi-typescript + openapi-fetch. `include` is typed: a typo does not compile. */
export async function readWithOpenapiFetch(baseUrl: string, token: string, barcode: string): Promise<Read> {
  const api = createClient<paths>({ baseUrl, querySerializer: { array: { style: 'form', explode: false } } });
  const { data, error, response } = await api.GET('/api/v1/products/{barcode}', {
    params: { path: { barcode }, query: { include: ['product_meta'] } },
    headers: { authorization: `Bearer ${token}` },
  });
  if (error || !data) throw new Error(`read failed: ${response.status}`);
  return { brand: data.product_meta?.brand ?? '', debited: response.headers.get('x-credits-debited') };
}

/** @hey-api/openapi-ts with its fetch client: the key exchange, then the same read. */
export async function readWithHeyApi(baseUrl: string, clientId: string, apiKey: string, barcode: string) {
  const client = createHeyClient({ baseUrl });
  const tokens = await exchangeApiKey({ client, body: { client_id: clientId, api_key: apiKey } });
  if (!tokens.data) throw new Error(`token exchange failed: ${tokens.response.status}`);
  const res = await getProduct({
    client,
    path: { barcode },
    query: { include: ['product_meta'] },
    headers: { authorization: `Bearer ${tokens.data.access_token}` },
  });
  if (!res.data) throw new Error(`read failed: ${res.response.status}`);
  return { brand: res.data.product_meta?.brand ?? '', debited: res.response.headers.get('x-credits-debited') };
}
