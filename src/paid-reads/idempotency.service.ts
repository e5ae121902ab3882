// Idempotency-Key semantics (docs/billing.md#idempotency-keys): the same key and body within 24 h replays the stored response
// and charges nothing; the same key with another body is 409 idempotency_key_mismatch.
import { createHash } from 'node:crypto';
import type { Sql } from '../db/client.ts';
import { AppError } from '../kernel/errors.ts';
import { claimKey, completeKey, findKey, PENDING, releaseKey } from './idempotency.repository.ts';

export interface Stored {
  status: number;
  body: unknown;
  replayed: boolean;
}

const WAIT_MS = 10_000;
const POLL_MS = 25;

export function idempotencyKey(header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  const key = Array.isArray(header) ? header[0] : header;
  if (key.length < 20 || key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
    throw new AppError('bad_request', 'Idempotency-Key must be 20 to 255 visible ASCII characters.');
  }
  return key;
}

export class IdempotencyService {
  constructor(private readonly sql: Sql) {}

  async run(
    clientId: string,
    scope: string,
    key: string,
    request: unknown,
    work: () => Promise<{ status: number; body: unknown }>,
  ): Promise<Stored> {
    const hash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      if (await claimKey(this.sql, clientId, scope, key, hash)) break;
      const rec = await findKey(this.sql, clientId, scope, key);
      if (!rec) continue; // released or expired between the two statements: try to claim again
      if (rec.request_hash !== hash)
        throw new AppError('idempotency_key_mismatch', 'This Idempotency-Key was used with a different request body.');
      if (rec.status !== PENDING) return { status: rec.status, body: rec.body, replayed: true };
      // A concurrent first use is still running: wait for its answer rather than run (and charge) twice.
      if (Date.now() > deadline)
        throw new AppError('conflict', 'A request with this Idempotency-Key is still in progress; retry shortly.');
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    try {
      const res = await work();
      await completeKey(this.sql, clientId, scope, key, res.status, res.body);
      return { ...res, replayed: false };
    } catch (e) {
      await releaseKey(this.sql, clientId, scope, key).catch(() => {});
      throw e;
    }
  }
}
