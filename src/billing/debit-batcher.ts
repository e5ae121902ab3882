// Group commit of debits. A billed read is bound by one durable commit on one hot account row; concurrent
// requests can share it. While one batch is being committed, new debits queue; when it returns, everything
// queued goes out as the next batch — one round trip, one transaction, one WAL flush for all of them. Under no
// load a batch holds one debit, so nobody waits for a timer. Every answered debit is still durable and exact:
// the per-debit guard and ledger row are the same as debitAccount's (see the debit_batch SQL function).
import type { Sql } from '../db/client.ts';
import type { Units } from '../kernel/credits.ts';
import type { Counters } from '../kernel/counters.ts';
import type { Metrics } from '../kernel/metrics.ts';
import type { DebitRequest } from './ledger.repository.ts';

interface Pending {
  d: DebitRequest;
  resolve: (balance: Units | null) => void;
  reject: (e: unknown) => void;
}

/** Largest batch per statement: bounds the statement size and the time a row stays locked. */
const MAX_BATCH = 200;

export class DebitBatcher {
  private queue: Pending[] = [];
  private flushing = false;

  constructor(
    private readonly sql: Sql,
    private readonly counters?: Counters,
    private readonly metrics?: Metrics,
  ) {}

  /** Resolves to the balance after the debit, or null when the balance did not cover it (nothing changed). */
  debit(d: DebitRequest): Promise<Units | null> {
    this.counters?.inc('debit.statements');
    return new Promise((resolve, reject) => {
      this.queue.push({ d, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.queue.length) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        const balances = await this.run(batch);
        batch.forEach((p, i) => {
          p.resolve(balances[i]);
        });
      } catch (e) {
        this.metrics?.databaseErrors.inc({ where: 'debit' });
        // The transaction rolled back, so nothing of this batch was charged. One bad debit must not fail its
        // neighbours: retry them one by one (safe, since none of them was applied).
        if (batch.length === 1) this.failed(batch[0], e);
        else
          for (const p of batch)
            await this.run([p]).then(
              ([b]) => p.resolve(b),
              (err) => this.failed(p, err),
            );
      }
    }
    this.flushing = false;
  }

  private async run(batch: Pending[]): Promise<(Units | null)[]> {
    const items = batch.map((p) => ({
      a: p.d.accountId,
      c: p.d.clientId,
      r: p.d.requestId,
      x: String(p.d.cost),
      l: p.d.lines,
    }));
    const rows = await this.sql<{ idx: number; balance: bigint }[]>`/* debitBatch */
      select idx, balance from debit_batch(${JSON.stringify(items)}::text::jsonb)`;
    const admitted = new Map(rows.map((r) => [r.idx, r.balance]));
    const out = batch.map((_, i) => admitted.get(i + 1) ?? null);
    if (this.metrics) this.observe(batch, out);
    return out;
  }

  private failed(p: Pending, e: unknown): void {
    this.metrics?.debits.inc({ result: 'error' });
    p.reject(e);
  }

  private observe(batch: Pending[], out: (Units | null)[]): void {
    const m = this.metrics!;
    m.debitBatchSize.observe(batch.length);
    batch.forEach((p, i) => {
      if (out[i] === null) {
        m.debits.inc({ result: 'insufficient' });
        return;
      }
      m.debits.inc({ result: 'admitted' });
      for (const line of p.d.lines) {
        m.debitLines.inc({ action: line.action }, line.units);
        // Amounts are integers in 1/10,000 credit: a float sum is exact to far beyond any scrape interval.
        m.creditsDebited.inc({ action: line.action }, line.amount / 10_000);
      }
    });
  }
}
