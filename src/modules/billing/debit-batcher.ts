// Group commit of debits. A billed read is bound by one durable commit on one hot account row; concurrent
// requests can share it. While a batch is being committed, new debits queue; when it returns, everything
// queued goes out as the next batch — one round trip, one transaction, one WAL flush for all of them. Under no
// load a batch holds one debit, so nobody waits for a timer. Every answered debit is still durable and exact:
// the per-debit guard and ledger row are the same as debitAccount's (see the debit_batch SQL function).
//
// Pipeline (docs/billing.md#the-atomic-debit): up to `depth` batches are in flight at once, each on its own
// pooled connection, so the commits (fsyncs) of different accounts overlap instead of queueing behind one
// another. A batch holds its accounts from the moment it is formed until every debit of it is settled (its
// one-by-one retries included); a new batch takes from the queue, in arrival order, only debits of accounts no
// in-flight batch holds, and leaves every later debit of a held account queued. So per account at most one
// batch is in flight and each sees the effect of the one before it: arrival order per account holds whatever
// the timing of the connections, and a failed batch's retries still come before any later debit of its
// accounts. Debits of one hot account are therefore still one commit after another (the row lock is held
// through the WAL flush anyway); the pipeline helps when a node serves several accounts at once.

import type { Counters } from '../../kernel/counters.ts';
import type { Units } from '../../kernel/credits.ts';
import { AppError } from '../../kernel/errors.ts';
import { activeContext, type Context, linkTo, withSpan } from '../../kernel/tracing.ts';
import type { Sql } from '../../platform/db/client.ts';
import { sqlStatement, traced } from '../../platform/db/traced.ts';
import type { BillingMetrics } from './billing.metrics.ts';
import type { DebitRequest } from './ledger.repository.ts';

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
  /** Accounts held by the batches in flight (see the header: at most one batch per account). */
  private readonly held = new Set<string>();
  private inFlight = 0;
  /** Settled when the last batch in flight ends (close() waits on it). */
  private idle: { promise: Promise<void>; resolve: () => void } | null = null;
  private readonly depth: number;

  /** `depth`: batches in flight at once (DEBIT_PIPELINE_DEPTH); each takes one pooled connection while it runs. */
  constructor(
    private readonly sql: Sql,
    private readonly counters?: Counters,
    private readonly metrics?: BillingMetrics,
    depth = 1,
  ) {
    this.depth = Math.max(1, Math.floor(depth));
  }

  /** Batches being committed now (tests and the bench read it). */
  get batchesInFlight(): number {
    return this.inFlight;
  }

  /** Resolves once every debit handed in so far is settled (queued ones included). */
  async close(): Promise<void> {
    while (this.inFlight > 0 || this.queue.length > 0) {
      if (this.inFlight === 0) this.pump();
      await this.idle?.promise;
    }
  }

  /**
   * Resolves to the balance after the debit, or null when the balance did not cover it (nothing changed).
   * Rejects with 409 conflict when the debit's Idempotency-Key was taken over by another attempt (not debited).
   */
  debit(d: DebitRequest): Promise<Units | null> {
    this.counters?.inc('debit.statements');
    return new Promise((resolve, reject) => {
      this.queue.push({ d, resolve, reject, otel: activeContext() });
      // After every pump the pipeline is full or every queued debit's account is held, so a debit of a held
      // account cannot start a batch: skip the scan (a hot account's flood would otherwise rescan the queue for
      // each of its debits).
      if (this.inFlight < this.depth && !this.held.has(d.accountId)) this.pump();
    });
  }

  /** Starts batches while there is room in the pipeline and queued debits of accounts no batch holds. */
  private pump(): void {
    while (this.inFlight < this.depth && this.queue.length) {
      const batch = this.take();
      if (!batch.length) return;
      const accounts = new Set(batch.map((p) => p.d.accountId));
      for (const a of accounts) this.held.add(a);
      this.inFlight++;
      if (!this.idle) {
        let resolve!: () => void;
        const promise = new Promise<void>((r) => (resolve = r));
        this.idle = { promise, resolve };
      }
      void this.flush(batch).finally(() => {
        for (const a of accounts) this.held.delete(a);
        this.inFlight--;
        this.pump();
        if (this.inFlight === 0 && this.idle) {
          this.idle.resolve();
          this.idle = null;
        }
      });
    }
  }

  /**
   * The next batch: queued debits in arrival order, skipping (and leaving queued, in order) those of accounts an
   * in-flight batch holds. An account skipped once stays held for this whole pass, so none of its debits can
   * overtake an earlier one.
   */
  private take(): Pending[] {
    if (this.held.size === 0) return this.queue.splice(0, MAX_BATCH);
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    for (const p of this.queue) {
      if (batch.length < MAX_BATCH && !this.held.has(p.d.accountId)) batch.push(p);
      else rest.push(p);
    }
    this.queue = rest;
    return batch;
  }

  private async flush(batch: Pending[]): Promise<void> {
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
