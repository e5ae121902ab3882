// The public origin signed image URLs point at: PUBLIC_BASE_URL, else the origin the client called.
import type { IncomingHttpHeaders } from 'node:http';

export function publicBaseUrl(headers: IncomingHttpHeaders, configured: string | undefined, tls: boolean): string {
  if (configured) return configured.replace(/\/+$/, '');
  const host = String(headers.host ?? 'localhost').replace(/[^A-Za-z0-9.:\-[\]]/g, '');
  return `${tls ? 'https' : 'http'}://${host}`;
}
