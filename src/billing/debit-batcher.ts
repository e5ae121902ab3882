// Group commit of debits. A billed read is bound by one durable commit on one hot account row; concurrent
// requests can share it. While one batch is being committed, new debits queue; when it returns, everything
// queued goes out as the next batch — one round trip, one transaction, one WAL flush for all of them. Under no
// load a batch holds one debit, so nobody waits for a timer. Every answered debit is still durable and exact:
// the per-debit guard and ledger row are the same as debitAccount's (see the debit_batch SQL function).
import type { Sql } from '../db/client.ts';
import type { Units } from '../kernel/credits.ts';
import { AppError } from '../kernel/errors.ts';
import type { Counters } from '../kernel/counters.ts';
import type { Metrics } from '../kernel/metrics.ts';
import type { DebitRequest } from './ledger.repository.ts';
import { sqlStatement, traced } from '../db/traced.ts';
import { activeContext, linkTo, withSpan, type Context } from '../kernel/tracing.ts';

interface Pending {
  d: DebitRequest;
  resolve: (balance: Units | null) => void;
  reject: (e: unknown) => void;
  /** The trace context of the request this debit serves (tracing on only). */
  otel?: Context;
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

  /**
   * Resolves to the balance after the debit, or null when the balance did not cover it (nothing changed).
   * Rejects with 409 conflict when the debit's Idempotency-Key was taken over by another attempt (not debited).
   */
  debit(d: DebitRequest): Promise<Units | null> {
    this.counters?.inc('debit.statements');
    return new Promise((resolve, reject) => {
      this.queue.push({ d, resolve, reject, otel: activeContext() });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.queue.length) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        const outcomes = await this.run(batch);
        if (this.metrics) this.observe(batch, outcomes);
        for (const [i, p] of batch.entries()) settle(p, outcomes[i]);
      } catch (e) {
        this.metrics?.databaseErrors.inc({ where: 'debit' });
        // Usually the transaction rolled back and nothing of this batch was charged; but a connection lost after
        // the commit looks the same from here. One bad debit must not fail its neighbours: retry them one by one.
        // That is safe either way, since debit_batch applies a request id's debit at most once.
        if (batch.length === 1) this.failed(batch[0], e);
        else
          for (const p of batch)
            await this.run([p]).then(
              (o) => {
                if (this.metrics) this.observe([p], o);
                settle(p, o[0]);
              },
              (err) => this.failed(p, err),
            );
      }
    }
    this.flushing = false;
  }

  /**
   * One statement for the batch, in a `debit.batch` span (docs/operations.md#traces): a child of the first
   * request's span, linked from the others, so every request's trace shows the commit it waited for.
   */
  private run(batch: Pending[]): Promise<Outcome[]> {
    const first = batch[0].otel;
    if (!first) return this.statement(batch);
    const links = batch.slice(1).flatMap((p) => (p.otel && linkTo(p.otel)) || []);
    const attributes = () => ({ 'debit.batch_size': batch.length });
    return withSpan('debit.batch', { parent: first, links, attributes }, () => this.statement(batch));
  }

  private async statement(batch: Pending[]): Promise<Outcome[]> {
    const items = batch.map(({ d }) => ({
      a: d.accountId,
      c: d.clientId,
      r: d.requestId,
      x: String(d.cost),
      l: d.lines,
      ...(d.idempotency ? { k: keyOf(d.idempotency) } : {}),
    }));
    const rows = await traced(
      DEBIT_BATCH,
      () => this.sql<{ idx: number; balance: bigint | null; outcome: 'debited' | 'lost' }[]>`/* debitBatch */
      select idx, balance, outcome from debit_batch(${JSON.stringify(items)}::text::jsonb)`,
    );
    const byIdx = new Map<number, Outcome>(rows.map((r) => [r.idx, r.outcome === 'lost' ? LOST : r.balance]));
    return batch.map((_, i) => byIdx.get(i + 1) ?? null);
  }

  private failed(p: Pending, e: unknown): void {
    this.metrics?.debits.inc({ result: 'error' });
    p.reject(e);
  }

  private observe(batch: Pending[], out: Outcome[]): void {
    const m = this.metrics!;
    m.debitBatchSize.observe(batch.length);
    batch.forEach((p, i) => {
      const o = out[i];
      if (o === null || o === LOST) {
        m.debits.inc({ result: o === null ? 'insufficient' : 'error' });
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

const DEBIT_BATCH = sqlStatement('debitBatch');

const LOST: unique symbol = Symbol('idempotency key lost');
/** The balance after the debit, null when not covered, LOST when the Idempotency-Key belongs to another attempt. */
type Outcome = Units | null | typeof LOST;

const keyOf = (k: NonNullable<DebitRequest['idempotency']>) => ({ c: k.clientId, s: k.scope, k: k.key, o: k.owner });

function settle(p: Pending, o: Outcome): void {
  if (o === LOST) {
    const msg = 'Another attempt with this Idempotency-Key holds it now; nothing was charged. Retry to get its answer.';
    p.reject(new AppError('conflict', msg, { 'Retry-After': '1' }));
  } else p.resolve(o);
}
