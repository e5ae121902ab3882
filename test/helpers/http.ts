// Thin fetch wrappers for black-box HTTP tests: JSON in, {status, headers, body} out. Every REST response is
// checked against schema/openapi.yaml (test/helpers/openapi.ts; strict unless KC_OPENAPI_STRICT=0).
import { checkAgainstSpec } from './openapi.ts';

export interface JsonResponse {
  status: number;
  headers: Headers;
  // Tests inspect arbitrary JSON shapes.
  body: any;
}

export interface CallOptions {
  method?: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export async function call(baseUrl: string, path: string, opts: CallOptions = {}): Promise<JsonResponse> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const method = opts.method ?? (body ? 'POST' : 'GET');
  const res = await fetch(baseUrl + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
  checkAgainstSpec({ method, path, status: res.status, headers: res.headers, body: parsed });
  return { status: res.status, headers: res.headers, body: parsed };
}
