// Idempotency-Key semantics of paid reads (docs/billing.md#idempotency-keys), shared by REST and GraphQL:
// the same key and request within 24 h replays the stored answer byte for byte and charges nothing; the same
// key with another request is 409 idempotency_key_mismatch. The debit and the key's "charged" mark commit in
// one transaction (debit_batch), so a retry after any failure either replays the answer, rebuilds it from the
// committed charge (same request id, no second debit), or runs afresh because nothing was charged.

import { createHash } from 'node:crypto';
import { exactJson } from '../../kernel/credits.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Sql } from '../../platform/db/client.ts';
import { accountBalance } from '../billing/index.ts';
import {
  type CommittedCharge,
  claimKey,
  completeKey,
  findKey,
  type KeyId,
  type KeyRecord,
  PENDING,
  releaseKey,
  renewKey,
  takeOverKey,
} from './idempotency.repository.ts';

/** A paid read under an Idempotency-Key (docs/billing.md#idempotency-keys). */
export interface IdempotentRead {
  clientId: string;
  scope: string;
  key: string;
  /** Request id of the attempt holding the key's lease; its debit marks the key charged only while it holds it. */
  owner: string;
  /** The key's charge committed with an earlier attempt whose answer was lost: answer from it, never debit again. */
  charged: { requestId: string; cost: bigint; balance: bigint; lines: unknown[] } | null;
}

/** An answer as sent: status, exact body text, and the headers that belong to it (not the per-request ones). */
export interface Answer {
  status: number;
  text: string;
  headers: Record<string, string>;
}

export interface StoredAnswer extends Answer {
  /** The request id of the first answer (null on rows stored before request ids were kept). */
  requestId: string | null;
}

export type Claim = { kind: 'replay'; answer: StoredAnswer } | { kind: 'run'; lease: KeyLease };

export interface IdempotencyOptions {
  /** How long a pending key stays with an attempt that stopped renewing it (a dead process). */
  leaseMs?: number;
  /** How long a retry waits for a running first attempt's answer before 409 conflict. */
  waitMs?: number;
}

const LEASE_MS = 10_000;
const WAIT_MS = 5_000;
const POLL_MS = 25;
/** A lease is renewed for at most this long; an attempt that never finishes then loses the key. */
const MAX_HOLD_MS = 60_000;

/** Headers of a replayed (or rebuilt) answer. */
export const REPLAY_HEADERS = { 'Idempotency-Replayed': '1', 'Idempotent-Replayed': 'true' } as const;

/** JSON with object keys sorted, so the same request always hashes the same.  @internal Exported for its tests. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

export class IdempotencyService {
  private readonly leaseMs: number;
  private readonly waitMs: number;

  constructor(
    private readonly sql: Sql,
    opts: IdempotencyOptions = {},
  ) {
    this.leaseMs = opts.leaseMs ?? LEASE_MS;
    this.waitMs = opts.waitMs ?? WAIT_MS;
  }

  /**
   * Claims `key` for the attempt `requestId`, or returns the stored answer. Throws 409 idempotency_key_mismatch
   * for another request under the key, and 409 conflict (with Retry-After) while another live attempt holds it.
   */
  async claim(clientId: string, scope: string, key: string, request: unknown, requestId: string): Promise<Claim> {
    const id: KeyId = { clientId, scope, key };
    const hash = createHash('sha256').update(canonicalJson(request)).digest('hex');
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      if (await claimKey(this.sql, id, hash, requestId, this.leaseMs)) return this.run(id, requestId, null);
      const rec = await findKey(this.sql, id);
      if (!rec) continue; // released or expired between the two statements: try to claim again
      if (rec.requestHash !== hash)
        throw new AppError('idempotency_key_mismatch', 'This Idempotency-Key was used with a different request.');
      if (rec.status !== PENDING) return { kind: 'replay', answer: storedAnswer(rec) };
      if (rec.leaseLeftMs === 0 && rec.leaseOwner) {
        // The attempt holding the key stopped renewing its lease (it died): take over. If its debit committed,
        // the answer is rebuilt from that charge; otherwise nothing was charged and the work runs afresh.
        const charge = await takeOverKey(this.sql, id, rec.leaseOwner, requestId, this.leaseMs);
        if (charge !== undefined) return this.run(id, requestId, charge);
        continue;
      }
      // A live first attempt is still running: wait for its answer rather than run (and charge) twice.
      if (Date.now() > deadline) {
        const retryAfter = rec.leaseLeftMs === null ? 60 : Math.max(1, Math.ceil(rec.leaseLeftMs / 1000));
        throw new AppError('conflict', 'A request with this Idempotency-Key is still in progress; retry shortly.', {
          'Retry-After': String(retryAfter),
        });
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /** The account's balance now, for the headers of a replay (which charges nothing). */
  async currentBalance(accountId: string): Promise<bigint | null> {
    return accountBalance(this.sql, accountId);
  }

  private run(id: KeyId, owner: string, charged: CommittedCharge | null): Claim {
    return { kind: 'run', lease: new KeyLease(this.sql, id, owner, charged, this.leaseMs) };
  }
}

function storedAnswer(rec: KeyRecord): StoredAnswer {
  if (rec.response !== null)
    return { status: rec.status, text: rec.response, headers: rec.responseHeaders ?? {}, requestId: rec.requestId };
  // Stored before answers were kept as text: the body as jsonb (key order may differ from the first answer).
  return {
    status: rec.status,
    text: exactJson(rec.legacyBody),
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
    requestId: rec.requestId,
  };
}

/** One attempt's hold on a key: renewed while the work runs, then completed with the answer or released. */
export class KeyLease {
  readonly read: IdempotentRead;
  private timer: NodeJS.Timeout | null;

  constructor(
    private readonly sql: Sql,
    private readonly id: KeyId,
    owner: string,
    charged: CommittedCharge | null,
    leaseMs: number,
  ) {
    this.read = { ...id, owner, charged };
    const until = Date.now() + MAX_HOLD_MS;
    this.timer = setInterval(
      () => {
        if (Date.now() > until) this.stop();
        else renewKey(sql, id, owner, leaseMs).catch(() => undefined);
      },
      Math.max(100, Math.floor(leaseMs / 3)),
    );
    this.timer.unref();
  }

  /** True when the key's charge committed with an earlier attempt: the answer is rebuilt, never charged again. */
  get rebuilding(): boolean {
    return this.read.charged !== null;
  }

  /** The request id the answer carries: the charged attempt's when rebuilding, else this attempt's. */
  get answerRequestId(): string {
    return this.read.charged?.requestId ?? this.read.owner;
  }

  /** Stores the answer for replays. False when another attempt took the key over meanwhile. */
  async complete(answer: Answer): Promise<boolean> {
    this.stop();
    return completeKey(this.sql, this.id, this.read.owner, { ...answer, requestId: this.answerRequestId });
  }

  /** No answer to store (the work failed): free the key, or, if it was charged, let the next retry rebuild. */
  async release(): Promise<void> {
    this.stop();
    await releaseKey(this.sql, this.id, this.read.owner);
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
