// The operator's bearer token (ADMIN_TOKEN), compared in constant time over its SHA-256 so that neither the
// content nor the length leaks through timing.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AppError } from '../kernel/errors.ts';
import { bearerToken } from '../kernel/bearer.ts';

export function adminAuthenticator(adminToken: string) {
  const expected = createHash('sha256').update(adminToken).digest();
  return (req: IncomingMessage): void => {
    const got = bearerToken(req);
    const digest = createHash('sha256')
      .update(got ?? '')
      .digest();
    if (!got || !timingSafeEqual(digest, expected)) {
      throw new AppError('unauthenticated', 'A valid admin bearer token is required.', {
        'WWW-Authenticate': 'Bearer',
      });
    }
  };
}
