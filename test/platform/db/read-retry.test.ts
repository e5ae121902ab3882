// Idempotent reads survive a pool full of dead connections (docs/durability.md#the-connection-pool). The pool
// talks to PostgreSQL through a TCP relay of this test's own; the relay can cut every connection at once the way
// a vanished peer does: the server side is closed (its backend ends), the pool's side stays open and silent and
// is reset at the first byte the pool writes. So every pooled connection is dead and nobody knows until a
// statement is written on it. A single retry lands on the next dead connection; the reads must not fail.

import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSql, type Sql } from '../../../src/platform/db/client.ts';
import { readWithRetry } from '../../../src/platform/db/read-retry.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';

const POOL = 8;

/** A relay to PostgreSQL whose connections can all be made silently dead at once. */
async function relay(target: { host: string; port: number }) {
  const pairs = new Set<{ down: net.Socket; up: net.Socket }>();
  const server = net.createServer((down) => {
    const up = net.connect(target.port, target.host);
    const pair = { down, up };
    pairs.add(pair);
    down.pipe(up).pipe(down);
    const drop = () => {
      pairs.delete(pair);
      down.destroy();
      up.destroy();
    };
    down.on('error', drop).on('close', drop);
    up.on('error', drop);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    /** Ends every server side; each pool side is reset when it next sends anything. */
    cutAll(): number {
      const n = pairs.size;
      for (const p of [...pairs]) {
        pairs.delete(p);
        p.down.unpipe(p.up);
        p.up.unpipe(p.down);
        p.up.removeAllListeners('close');
        p.up.on('error', () => {}).destroy();
        p.down.removeAllListeners('data');
        p.down.once('data', () => p.down.resetAndDestroy());
        // unpipe paused it: flowing again, so the pool's next write is seen (and answered with a reset).
        p.down.resume();
      }
      return n;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('readWithRetry against a pool whose every connection died unnoticed', () => {
  let db: TestDatabase;
  let proxy: Awaited<ReturnType<typeof relay>>;
  let sql: Sql;

  beforeAll(async () => {
    db = await createTestDatabase();
    const u = new URL(db.url);
    proxy = await relay({ host: u.hostname, port: Number(u.port || 5432) });
    u.hostname = '127.0.0.1';
    u.port = String(proxy.port);
    sql = createSql({ url: u.toString(), max: POOL, appName: 'kc-read-retry-test' });
  });
  afterAll(async () => {
    await sql?.end({ timeout: 1 }).catch(() => {});
    await proxy?.close();
    await db?.drop();
  });

  /** Every connection of the pool opened (POOL statements that overlap). */
  const warm = async () => {
    await Promise.all(Array.from({ length: POOL }, () => sql`select pg_sleep(0.05)`));
  };
  const read = async () => {
    try {
      const [r] = await readWithRetry(() => sql<{ x: number }[]>`select 1 as x`);
      return r.x === 1 ? 'ok' : 'wrong';
    } catch (e) {
      return (e as { code?: string }).code ?? 'error';
    }
  };

  it('30 of 30 reads one after another succeed right after every connection died', async () => {
    await warm();
    expect(proxy.cutAll()).toBe(POOL);
    const out: string[] = [];
    for (let i = 0; i < 30; i++) out.push(await read());
    expect(out.filter((o) => o !== 'ok')).toEqual([]);
  });

  it('30 of 30 reads at once succeed right after every connection died', async () => {
    await warm();
    expect(proxy.cutAll()).toBe(POOL);
    const out = await Promise.all(Array.from({ length: 30 }, read));
    expect(out.filter((o) => o !== 'ok')).toEqual([]);
  });

  it('a statement that is not a connection failure is not retried', async () => {
    let tries = 0;
    await expect(
      readWithRetry(() => {
        tries++;
        return sql`select * from no_such_table`;
      }),
    ).rejects.toMatchObject({ code: '42P01' });
    expect(tries).toBe(1);
  });
});
