// What a generated client actually sends for a list parameter, and what it is billed (issue 24): the same billed
// read of `include: [product_meta, images]`, `variants: [front]` through three mainstream generators, each with
// its defaults, and a typo smuggled past each one's types. The generated code lives in ./generated/ (made by
// test/platform/openapi/consumers.test.ts, git-ignored).
import createClient from 'openapi-fetch';
import { createClient as createHeyClient } from './generated/hey-api/client/index.ts';
import { getProduct as heyGetProduct } from './generated/hey-api/index.ts';
import type { paths } from './generated/openapi-typescript/schema.ts';
import { getProduct as orvalGetProduct } from './generated/orval/api.ts';
import { configureOrval, lastOrvalUrl } from './orval-fetch.ts';

export interface Bill {
  /** The query string the client sent (decoded). */
  sent: string;
  status: number;
  /** X-Credits-Debited. */
  debited: string | null;
  /** The error code of a refusal. */
  error: string | null;
  /** The scopes returned, and the image variants. */
  scopes: string[];
  images: string[];
}

type Include = 'product_meta' | 'image_meta' | 'images';
type Variant = 'front' | 'back' | 'front_clean' | 'back_clean';
export type ReadQuery = { include: Include[]; variants: Variant[] } | { inlcude: Include[] };

const SCOPES = ['product_meta', 'image_meta', 'images'];

function billOf(url: string, status: number, headers: Headers, body: unknown): Bill {
  const b = (body ?? {}) as Record<string, unknown> & { error?: string; images?: Record<string, string> };
  return {
    sent: decodeURIComponent(new URL(url).search.slice(1)),
    status,
    debited: headers.get('x-credits-debited'),
    error: b.error ?? null,
    scopes: SCOPES.filter((s) => s in b),
    images: Object.keys(b.images ?? {}).sort(),
  };
}

/** A fetch that remembers the URL it was asked for. */
function recording() {
  const seen = { url: '' };
  const f = (input: Request | string | URL, init?: RequestInit) => {
    seen.url = input instanceof Request ? input.url : String(input);
    return fetch(input, init);
  };
  return { seen, fetch: f };
}

/** openapi-typescript + openapi-fetch with its default query serializer. */
export async function billWithOpenapiFetch(baseUrl: string, token: string, barcode: string, query: ReadQuery) {
  const rec = recording();
  const api = createClient<paths>({ baseUrl, fetch: rec.fetch as typeof fetch });
  const { data, error, response } = await api.GET('/api/v1/products/{barcode}', {
    // A typo does not compile against the generated types: the cast is how one slips through (any, JS, a map).
    params: { path: { barcode }, query: query as { include: Include[] } },
    headers: { authorization: `Bearer ${token}` },
  });
  return billOf(rec.seen.url, response.status, response.headers, data ?? error);
}

/** @hey-api/openapi-ts with its fetch client: it serializes by the document's style/explode. */
export async function billWithHeyApi(baseUrl: string, token: string, barcode: string, query: ReadQuery) {
  const rec = recording();
  const client = createHeyClient({ baseUrl, fetch: rec.fetch as typeof fetch });
  const res = await heyGetProduct({
    client,
    path: { barcode },
    query: query as { include: Include[] },
    headers: { authorization: `Bearer ${token}` },
  });
  return billOf(rec.seen.url, res.response.status, res.response.headers, res.data ?? res.error);
}

/** orval's fetch client through the app's mutator (orval-fetch.ts). */
export async function billWithOrval(baseUrl: string, token: string, barcode: string, query: ReadQuery) {
  configureOrval({ baseUrl, token });
  const res = await orvalGetProduct(barcode, query as { include: Include[] });
  return billOf(lastOrvalUrl(), res.status, res.headers, res.data);
}
