// The operator's bearer token (ADMIN_TOKEN), compared in constant time over its SHA-256 so that neither the
// content nor the length leaks through timing.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { bearerToken } from '../../kernel/bearer.ts';
import { AppError, isDependencyDown } from '../../kernel/errors.ts';
import type { LoginThrottle } from '../shared-state/login-throttle.ts';

/**
 * With a throttle, a source that presented too many wrong admin tokens this minute is refused (429) before
 * its token is even looked at, so a guess from there learns nothing. A request with no token at all is not a
 * guess and is not counted. When the shared store behind the throttle is down, the token is still checked
 * (in constant time; ADMIN_TOKEN is long and random, so a minute of unthrottled guessing gains nothing) and
 * the operator keeps the admin API, metrics included, through a Redis outage.
 * See docs/tokens-and-sessions.md#admin-api
 */
export function adminAuthenticator(adminToken: string, throttle?: LoginThrottle) {
  const expected = createHash('sha256').update(adminToken).digest();
  return async (req: IncomingMessage, ip: string): Promise<void> => {
    const key = `ip:${ip}`;
    const storeDown = (e: unknown) => {
      if (!isDependencyDown(e)) throw e;
    };
    if (throttle) await throttle.assertAllowed([key]).catch(storeDown);
    const got = bearerToken(req);
    const digest = createHash('sha256')
      .update(got ?? '')
      .digest();
    if (!got || !timingSafeEqual(digest, expected)) {
      if (got && throttle) await throttle.recordFailure([key]).catch(storeDown);
      throw new AppError('unauthenticated', 'A valid admin bearer token is required.', {
        'WWW-Authenticate': 'Bearer',
      });
    }
  };
}

/**
 * Who may scrape /metrics (docs/operations.md#metrics): the read-only METRICS_TOKEN when configured (constant-time,
 * like the admin token), otherwise whatever `admin` accepts. The metrics token opens nothing but /metrics.
 */
export function scrapeAuthenticator(
  metricsToken: string | undefined,
  admin: (req: IncomingMessage, ip: string) => Promise<void>,
) {
  const expected = metricsToken ? createHash('sha256').update(metricsToken).digest() : null;
  return async (req: IncomingMessage, ip: string): Promise<void> => {
    const got = bearerToken(req);
    if (expected && got && timingSafeEqual(createHash('sha256').update(got).digest(), expected)) return;
    await admin(req, ip);
  };
}
