// SIGTERM under steady billed load through two nodes behind a load balancer that follows /readyz
// (docs/operations.md#readiness-and-drain): the stopped node fails /readyz first, keeps serving through its drain
// period, then stops accepting and finishes its work, and exits 0. No request fails, and the ledger holds exactly
// one debit per successful billed response (none lost, none doubled).
import { afterAll, describe, expect, it } from 'vitest';
import { type Deployment, startNodes } from '../helpers/nodes.ts';
import type { NodeProcess } from '../helpers/server-process.ts';
import { seed } from '../helpers/testkit.ts';

const DRAIN_MS = 2500;
/** Load: LOOPS clients in parallel, each pausing PAUSE_MS between reads (well under the tier's 6000 a minute). */
const LOOPS = 3;
const PAUSE_MS = 40;

let d: Deployment<NodeProcess> | undefined;
afterAll(async () => {
  await d?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SIGTERM drain', () => {
  it('no failed request and one debit per billed response while one of two nodes stops', async () => {
    d = await startNodes(2, { env: { SHUTDOWN_DRAIN_MS: String(DRAIN_MS) }, processes: {} });
    const [a, b] = d.nodes;
    const ref = { url: a.url, adminToken: d.env.ADMIN_TOKEN, sql: d.db.sql };
    const barcode = (await seed(ref).product({ meta: 'full' })).barcode;
    const client = await seed(ref).client({ credits: 1000, tier: 'enterprise' });

    for (const n of [a, b]) {
      const live = await fetch(`${n.url}/livez`);
      expect(live.status).toBe(200);
      expect(await live.json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${n.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        status: 'ready',
        checks: { database: 'ok', shared_state: 'ok', blobs: 'ok' },
      });
    }

    // The load balancer: polls /readyz every 100 ms and sends only to nodes that answered 200 last.
    const ready = new Map<string, boolean>([
      [a.url, true],
      [b.url, true],
    ]);
    const readyzSeen: Record<string, number[]> = { [a.url]: [], [b.url]: [] };
    let running = true;
    const poller = (async () => {
      while (running) {
        await Promise.all(
          [a.url, b.url].map(async (u) => {
            const status = await fetch(`${u}/readyz`).then(
              (r) => r.arrayBuffer().then(() => r.status),
              () => 0,
            );
            ready.set(u, status === 200);
            readyzSeen[u].push(status);
          }),
        );
        await sleep(100);
      }
    })();

    const ok: string[] = [];
    const failures: string[] = [];
    let turn = 0;
    const loop = async () => {
      while (running) {
        const targets = [a.url, b.url].filter((u) => ready.get(u));
        const url = targets[turn++ % targets.length];
        try {
          const res = await fetch(`${url}/api/v1/products/${barcode}`, {
            headers: { authorization: `Bearer ${client.accessToken}` },
          });
          await res.arrayBuffer();
          if (res.status === 200) {
            ok.push(res.headers.get('x-request-id')!);
          } else failures.push(`${url}: ${res.status}`);
        } catch (e) {
          failures.push(`${url}: ${(e as Error).message} ${String((e as Error).cause ?? '')}`);
        }
        await sleep(PAUSE_MS);
      }
    };
    const loops = Array.from({ length: LOOPS }, loop);

    await sleep(1500);
    const before = ok.length;
    a.child.kill('SIGTERM');
    await a.waitForLog((l) => l.msg === 'draining: /readyz answers 503, still serving', 10_000);
    const exit = await Promise.race([a.exited, sleep(DRAIN_MS + 30_000).then(() => 'timeout' as const)]);
    expect(exit).toEqual({ code: 0, signal: null });
    await sleep(500); // B alone carries the load for a moment
    running = false;
    await Promise.all([...loops, poller]);

    expect(failures).toEqual([]);
    expect(before).toBeGreaterThan(0);
    expect(ok.length).toBeGreaterThan(before);
    // A told the balancer before it stopped: at least one 503 from its /readyz while it still answered.
    expect(readyzSeen[a.url]).toContain(503);

    // B flushes its batched debits when it stops too; then the ledger is complete.
    expect(await b.stop()).toEqual({ code: 0, signal: null });
    const rows = await d.db.sql<{ request_id: string; amount: bigint }[]>`
      select request_id, amount from credit_ledger where account_id = ${client.accountId} and kind = 'debit'`;
    expect(rows).toHaveLength(ok.length);
    expect(new Set(rows.map((r) => r.request_id))).toEqual(new Set(ok));
    // One price for one kind of read: a doubled debit would also show as another amount.
    expect(new Set(rows.map((r) => r.amount)).size).toBe(1);
    expect(rows[0].amount < 0n).toBe(true);
    const [bal] = await d.db.sql<{ balance: bigint; ledger: bigint }[]>`
      select a.balance, (select sum(amount) from credit_ledger l where l.account_id = a.account_id)::bigint as ledger
      from accounts a where a.account_id = ${client.accountId}`;
    expect(bal.balance).toBe(bal.ledger);
  }, 180_000);
});
