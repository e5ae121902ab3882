// The debit sink of test mode (docs/test-mode.md#billing): a test client's paid read is priced by the same read-plan
// service as a live one, then recorded here instead of debited. One statement records the read in test_usage (once
// per request id) and, under an Idempotency-Key, marks the key charged exactly as debit_batch does for live reads, so
// retries, replays and rebuilt answers behave as in live mode. The balance is read, never changed.
import type { Units } from '../../kernel/credits.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Sql } from '../../platform/db/client.ts';
import type { DebitRequest } from './ledger.repository.ts';

/** What a read-plan service hands a paid read's charge to: the debit batcher (live) or TestReads (test). */
export interface DebitSink {
  /** The balance after the charge; null when the balance did not cover it (never for test reads). */
  debit(d: DebitRequest): Promise<Units | null>;
}

export class TestReads implements DebitSink {
  constructor(private readonly sql: Sql) {}

  async debit(d: DebitRequest): Promise<Units | null> {
    const k = d.idempotency;
    const keyed = !!k;
    const [row] = await this.sql<{ ok: boolean; balance: bigint | null }[]>`/* recordTestRead */
      with lease as (
        select 1 from idempotency_records r
        where ${keyed} and r.client_id = ${k?.clientId ?? ''} and r.scope = ${k?.scope ?? ''}
          and r.idem_key = ${k?.key ?? ''} and r.lease_owner = ${k?.owner ?? ''} and r.status = 0
          and r.charged_at is null
        for update
      ), allowed as (
        select (not ${keyed}) or exists (select 1 from lease) as ok
      ), balance as (
        select a.balance from accounts a where a.account_id = ${d.accountId}
      ), recorded as (
        insert into test_usage (request_id, account_id, client_id, amount, lines)
        select ${d.requestId}, ${d.accountId}, ${d.clientId}, ${String(d.cost)}::bigint, ${JSON.stringify(d.lines)}::jsonb
        from allowed where allowed.ok
        on conflict (request_id) do nothing
      ), marked as (
        update idempotency_records r
          set charged_at = now(), request_id = ${d.requestId},
              charge = jsonb_build_object('cost', ${String(d.cost)}::text,
                'balance', (select balance::text from balance), 'lines', ${JSON.stringify(d.lines)}::jsonb)
        where ${keyed} and (select ok from allowed) and r.client_id = ${k?.clientId ?? ''}
          and r.scope = ${k?.scope ?? ''} and r.idem_key = ${k?.key ?? ''}
      )
      select (select ok from allowed) as ok, (select balance from balance) as balance`;
    if (!row.ok) {
      const msg =
        'Another attempt with this Idempotency-Key holds it now; nothing was charged. Retry to get its answer.';
      throw new AppError('conflict', msg, { 'Retry-After': '1' });
    }
    return row.balance ?? 0n;
  }
}
