// The credential of an `Authorization: Bearer <token>` header, shared by client and admin authentication.
import type { IncomingMessage } from 'node:http';

export function bearerToken(req: Pick<IncomingMessage, 'headers'>): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1] : null;
}
