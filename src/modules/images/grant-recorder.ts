// Trace records of signed image URLs, buffered in memory and written in batches: issuing URLs sits on the
// paid read path and must not wait for one insert per URL. The token itself carries every claim, so a row
// lost in a crash still leaves the URL traceable from the token; the table adds "what did client X get".

import type { Logger } from '../../kernel/logger.ts';
import type { Sql } from '../../platform/db/client.ts';
import { type GrantRow, insertGrants, insertRedemptions, type RedemptionRow } from './image.repository.ts';

export interface GrantRecorderOptions {
  flushIntervalMs?: number;
  /** Flush as soon as this many rows wait. */
  batchRows?: number;
  /** Beyond this many waiting rows (database down), the oldest are dropped and logged rather than growing memory. */
  maxBufferedRows?: number;
}

export class GrantRecorder {
  private grants: GrantRow[] = [];
  private redemptions: RedemptionRow[] = [];
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> | null = null;
  private readonly batchRows: number;
  private readonly maxBuffered: number;

  constructor(
    private readonly sql: Sql,
    private readonly log: Logger,
    opts: GrantRecorderOptions = {},
  ) {
    this.batchRows = opts.batchRows ?? 500;
    this.maxBuffered = opts.maxBufferedRows ?? 200_000;
    this.timer = setInterval(() => void this.flush(), opts.flushIntervalMs ?? 1000);
    this.timer.unref();
  }

  grant(row: GrantRow): void {
    this.grants.push(row);
    this.afterPush(this.grants);
  }

  redeemed(row: RedemptionRow): void {
    this.redemptions.push(row);
    this.afterPush(this.redemptions);
  }

  private afterPush(buf: unknown[]): void {
    if (buf.length > this.maxBuffered) {
      const dropped = buf.splice(0, buf.length - this.maxBuffered).length;
      this.log.error({ dropped }, 'image trace buffer full: oldest rows dropped (tokens remain self-describing)');
    }
    if (buf.length >= this.batchRows) void this.flush();
  }

  /** Writes everything buffered so far; concurrent callers share one write. Failed rows are kept for the next try. */
  async flush(): Promise<void> {
    if (this.flushing) {
      await this.flushing;
      if (this.grants.length === 0 && this.redemptions.length === 0) return;
    }
    if (this.grants.length === 0 && this.redemptions.length === 0) return;
    const grants = this.grants.splice(0);
    const redemptions = this.redemptions.splice(0);
    this.flushing = (async () => {
      try {
        for (let i = 0; i < grants.length; i += 1000) await insertGrants(this.sql, grants.slice(i, i + 1000));
      } catch (e) {
        this.grants.unshift(...grants);
        this.log.warn({ err: e, rows: grants.length }, 'image grant flush failed; will retry');
      }
      try {
        for (let i = 0; i < redemptions.length; i += 1000)
          await insertRedemptions(this.sql, redemptions.slice(i, i + 1000));
      } catch (e) {
        this.redemptions.unshift(...redemptions);
        this.log.warn({ err: e, rows: redemptions.length }, 'image redemption flush failed; will retry');
      }
    })();
    try {
      await this.flushing;
    } finally {
      this.flushing = null;
    }
  }

  get pending(): number {
    return this.grants.length + this.redemptions.length;
  }

  /** Stops the timer and writes what is left (App.close). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
