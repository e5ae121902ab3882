// Console session lifetimes (docs/console.md#sessions-and-csrf): a session ends 12 hours after its last use and 7
// days after sign-in, however busy. The server judges both by the database clock against the session row; time
// passes here by moving the row's timestamps back, which is what the same wait would do.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { ConsoleClient } from '../../helpers/console-client.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { SIGNUP: 'open' } });
});
afterAll(async () => {
  await app?.close();
});

const HOUR = 3600;

/** The session row of a client's cookie. */
function hashOf(c: ConsoleClient): Buffer {
  return createHash('sha256')
    .update(c.cookie.slice(c.cookie.indexOf('=') + 1))
    .digest();
}

/** Moves the row's clock: last use `idleSec` ago; sign-in (and so its absolute end) `ageSec` earlier than now. */
async function age(c: ConsoleClient, o: { idleSec: number; ageSec?: number }) {
  const { sql } = app.db;
  const h = hashOf(c);
  await sql`update console_sessions set last_seen_at = now() - make_interval(secs => ${o.idleSec}) where session_hash = ${h}`;
  if (o.ageSec !== undefined)
    await sql`update console_sessions set created_at = created_at - make_interval(secs => ${o.ageSec}),
      expires_at = expires_at - make_interval(secs => ${o.ageSec}) where session_hash = ${h}`;
}

describe('console sessions', () => {
  it('end 12 hours after the last use; each use moves the end', async () => {
    const c = new ConsoleClient(app.url);
    await c.signUp();
    const [row] = await app.db.sql<
      { n: number }[]
    >`select count(*)::int as n from console_sessions where session_hash = ${hashOf(c)}`;
    expect(row.n).toBe(1);

    // 11 h 58 min idle: still signed in, and this use starts the 12 hours again.
    await age(c, { idleSec: 12 * HOUR - 120 });
    const s = await c.session();
    expect(s).not.toBeNull();
    expect(Date.parse(s.expiresAt) - Date.now()).toBeGreaterThan(12 * HOUR * 1000 - 60_000);
    const [seen] = await app.db.sql<{ idle: number }[]>`
      select extract(epoch from now() - last_seen_at)::float as idle from console_sessions where session_hash = ${hashOf(c)}`;
    expect(seen.idle).toBeLessThan(60);

    // 12 h and a second: ended, for reads and mutations alike.
    await age(c, { idleSec: 12 * HOUR + 1 });
    expect(await c.session()).toBeNull();
    expect(await c.code('{ consoleOverview { balance } }')).toBe('UNAUTHENTICATED');
    expect(await c.code('mutation { consoleSignOutEverywhere }')).toBe('UNAUTHENTICATED');
  });

  it('end 7 days after sign-in, however recently used', async () => {
    const c = new ConsoleClient(app.url);
    const { address } = await c.signUp();
    await c.signIn(address);
    const [row] = await app.db.sql<{ life: number }[]>`
      select extract(epoch from expires_at - created_at)::float as life from console_sessions where session_hash = ${hashOf(c)}`;
    expect(Math.round(row.life)).toBe(7 * 24 * HOUR);

    // Signed in 6 days 23 h 58 min ago, used a minute ago: still on.
    await age(c, { idleSec: 60, ageSec: 7 * 24 * HOUR - 120 });
    expect(await c.session()).not.toBeNull();
    // Signed in 7 days and a second ago, used a minute ago: ended.
    await age(c, { idleSec: 60, ageSec: 121 });
    expect(await c.session()).toBeNull();
    expect(await c.code('{ consoleApiClients { clientId } }')).toBe('UNAUTHENTICATED');
    // Signing in again starts a new session.
    await c.signIn(address);
    expect(await c.session()).not.toBeNull();
  });
});
