// Debits per second through one DebitBatcher at pipeline depth 1 and 4 (DEBIT_PIPELINE_DEPTH), against real
// PostgreSQL, with 32 concurrent debit loops over 1 account and over 8 accounts; depths interleaved per round.
// Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx test/bench/debit-pipeline.bench.ts
// Env: BENCH_SECONDS (per measurement, default 3), BENCH_ROUNDS (default 2).
import os from 'node:os';
import { DebitBatcher } from '../../src/modules/billing/debit-batcher.ts';
import { createSql } from '../../src/platform/db/client.ts';
import { createTestDatabase } from '../helpers/db.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const LOOPS = 32;
const db = await createTestDatabase();
const sql = createSql({ url: db.url, max: 16 });
for (let a = 0; a < 8; a++)
  await db.sql`insert into accounts (account_id, name, balance) values (${`acc_${a}`}, 'bench', 1000000000000)`;
let seq = 0;

async function measure(
  depth: number,
  accounts: number,
): Promise<{ perSec: number; cpuMsPer: number; batchSize: number; maxInFlight: number }> {
  const b = new DebitBatcher(sql, undefined, undefined, depth);
  let batches = 0;
  let maxInFlight = 0;
  const inner = b as unknown as { run: (batch: unknown[]) => Promise<unknown> };
  const run = inner.run.bind(b);
  inner.run = (batch) => {
    batches++;
    maxInFlight = Math.max(maxInFlight, b.batchesInFlight);
    return run(batch);
  };
  const end = Date.now() + SECONDS * 1000;
  let done = 0;
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: LOOPS }, async (_, i) => {
      while (Date.now() < end) {
        const n = seq++;
        await b.debit({
          accountId: `acc_${i % accounts}`,
          clientId: null as unknown as string,
          requestId: `bench_${n}`,
          cost: 1n,
          lines: [{ action: 'products.get', units: 1, rate: 1, amount: 1 }],
        } as Parameters<DebitBatcher['debit']>[0]);
        done++;
      }
    }),
  );
  await b.close();
  const c = process.cpuUsage(cpu0);
  return {
    perSec: done / SECONDS,
    cpuMsPer: (c.user + c.system) / 1000 / done,
    batchSize: done / batches,
    maxInFlight,
  };
}

const results: Record<string, number[]> = {};
for (let r = 0; r < ROUNDS; r++)
  for (const accounts of [1, 8])
    for (const depth of r % 2 ? [4, 1] : [1, 4]) {
      const { perSec, cpuMsPer, batchSize, maxInFlight } = await measure(depth, accounts);
      const key = `${accounts} account(s), depth ${depth}`;
      (results[key] ??= []).push(perSec);
      console.log(
        `round ${r + 1} ${key}: ${perSec.toFixed(0)} debits/s, ${cpuMsPer.toFixed(3)} node CPU ms/debit, ${batchSize.toFixed(1)} debits/batch, max ${maxInFlight} in flight, load ${os.loadavg()[0].toFixed(2)}`,
      );
    }
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const [k, v] of Object.entries(results)) console.log(`median ${k}: ${median(v).toFixed(0)} debits/s`);
await sql.end();
await db.drop();
