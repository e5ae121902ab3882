// The one flow of a paid read under an Idempotency-Key (docs/billing.md#idempotency-keys), used by both doors: REST
// routes and the GraphQL plugin only turn their request into an identity and their response into an Answer.
// begin(): a stored answer is replayed; a key charged by an attempt whose answer was lost is rebuilt from that
// charge under its request id; otherwise the work runs with its debit bound to the key. Then the attempt either
// failed (the key is freed, or, if charged, left for the next retry to rebuild) or answered (the exact text is
// stored; a rebuilt answer goes out as a replay of the charged attempt).
import type { RequestContext } from '../../kernel/request-context.ts';
import type { Answer, IdempotencyService, IdempotentRead, KeyLease, StoredAnswer } from './idempotency.service.ts';

export type Begun = { kind: 'replay'; answer: StoredAnswer } | { kind: 'run'; attempt: KeyedAttempt };

export class IdempotencyRunner {
  constructor(private readonly keys: IdempotencyService) {}

  async begin(ctx: RequestContext, clientId: string, scope: string, key: string, identity: unknown): Promise<Begun> {
    const claim = await this.keys.claim(clientId, scope, key, identity, ctx.requestId);
    if (claim.kind === 'replay') return claim;
    const { lease } = claim;
    if (lease.rebuilding) {
      ctx.log.info({ replay_of: lease.answerRequestId }, 'rebuilding the answer of a charged Idempotency-Key');
      ctx.requestId = lease.answerRequestId;
      ctx.clientRequestId = null; // the answer carries the charged attempt's id
    }
    return { kind: 'run', attempt: new KeyedAttempt(lease, ctx) };
  }

  /** The account's balance now, for the headers of a replay (which charges nothing). */
  currentBalance(accountId: string): Promise<bigint | null> {
    return this.keys.currentBalance(accountId);
  }
}

/** One attempt holding a key while its work runs. */
export class KeyedAttempt {
  constructor(
    private readonly lease: KeyLease,
    private readonly ctx: RequestContext,
  ) {}

  /** What the read-plan service needs to bind (or, when rebuilding, replace) its debit. */
  get read(): IdempotentRead {
    return this.lease.read;
  }

  /** True when the answer is rebuilt from an earlier attempt's committed charge: this request charges nothing. */
  get rebuilding(): boolean {
    return this.lease.rebuilding;
  }

  /** No answer to keep: an uncharged key is freed; a charged one is rebuilt by the next retry. */
  async failed(): Promise<void> {
    await this.lease.release().catch((err) => this.ctx.log.warn({ err }, 'idempotency key release failed'));
  }

  /**
   * Stores the answer as sent. The charge (if any) is committed and marked on the key already: if storing fails, this
   * answer still goes out and a retry rebuilds it from the charge. Returns the answer as a replay of the charged
   * attempt when this one was rebuilding, else null (send the answer as it is).
   */
  async answered(answer: Answer): Promise<StoredAnswer | null> {
    const stored = await this.lease.complete(answer).catch((err) => {
      this.ctx.log.warn({ err }, 'storing the idempotent answer failed');
      return false;
    });
    if (!stored) await this.lease.release().catch(() => undefined);
    return this.lease.rebuilding ? { ...answer, requestId: this.lease.answerRequestId } : null;
  }
}

/** A stored (or rebuilt) answer going out again: its own request id, the client's own X-Request-ID, no charge. */
export function markReplay(ctx: RequestContext, a: StoredAnswer): void {
  if (a.requestId && a.requestId !== ctx.requestId) {
    ctx.log.info({ replay_of: a.requestId }, 'idempotent replay');
    ctx.requestId = a.requestId;
  }
  // The id the first answer showed (its client's own X-Request-ID, if it sent one): docs/rest.md#request-ids.
  ctx.clientRequestId = a.headers['X-Request-ID'] ?? null;
  ctx.creditsDebited = 0n;
}
