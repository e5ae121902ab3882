// Tells this node's caches about committed changes made anywhere (docs/operations.md#cache-invalidation-across-nodes).
// Triggers (migration 20261201_0500_invalidation_notify) NOTIFY `kc_invalidate` with {"kind", "ids"?} on every
// write to the catalog, its images, API clients and pricing; this module LISTENs on the pool's one LISTEN
// connection (postgres.js shares it between every channel of a pool, the webhook dispatcher's too), parses
// the payloads and hands them to the caches that subscribed.
// Notifications sent while the connection is down are lost. postgres.js reconnects and LISTENs again by itself,
// then calls our onlisten: every subscriber then catches up in full (the catalog cache polls, the others drop
// what they hold). The caches keep their own polls / TTLs as the fallback for the time in between.

import type { Logger } from '../../kernel/logger.ts';
import type { Sql } from './client.ts';

const INVALIDATE_CHANNEL = 'kc_invalidate';

const INVALIDATION_KINDS = ['products', 'clients', 'pricing'] as const;
export type InvalidationKind = (typeof INVALIDATION_KINDS)[number];

export interface InvalidationSubscriber {
  /** Rows of this kind changed: these ids (GTIN-14s, client ids), or null for "any of them may have". */
  changed(ids: readonly string[] | null): void;
  /** Listening again after a (re)connect: changes since the last notification heard may be unknown. */
  resync(): void;
}

/** @internal Exported for its tests. */
export interface Invalidation {
  kind: InvalidationKind;
  ids: string[] | null;
}

/** The payload of one notification, or null when it is not one of ours (then everything resyncs).  @internal Exported for its tests. */
export function parseInvalidation(payload: string): Invalidation | null {
  let v: unknown;
  try {
    v = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const { kind, ids } = v as { kind?: unknown; ids?: unknown };
  if (typeof kind !== 'string' || !(INVALIDATION_KINDS as readonly string[]).includes(kind)) return null;
  if (ids === undefined || ids === null) return { kind: kind as InvalidationKind, ids: null };
  if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string')) return null;
  return { kind: kind as InvalidationKind, ids };
}

const UNLISTEN_BOUND_MS = 2000;

export class InvalidationListener {
  private readonly subscribers = new Map<InvalidationKind, Set<InvalidationSubscriber>>();
  private listening: Promise<{ unlisten(): Promise<void> } | null> | null = null;
  /** LISTENs established so far: 1 after start, one more per reconnect (tests and logs read it). */
  listens = 0;
  /** Notifications heard since start. */
  notifications = 0;

  constructor(
    private readonly sql: Sql,
    private readonly log: Logger,
  ) {}

  /** Registers a cache for one kind; returns the unsubscribe. */
  subscribe(kind: InvalidationKind, sub: InvalidationSubscriber): () => void {
    let set = this.subscribers.get(kind);
    if (!set) this.subscribers.set(kind, (set = new Set()));
    set.add(sub);
    return () => set.delete(sub);
  }

  /** Starts listening; resolves once the first LISTEN is in place (or failed: then the caches poll only). */
  start(): Promise<void> {
    this.listening ??= this.sql
      .listen(
        INVALIDATE_CHANNEL,
        (payload) => this.heard(payload),
        () => this.listened(),
      )
      .then((l) => l as { unlisten(): Promise<void> })
      .catch((e) => {
        // postgres.js LISTENs again when its connection comes back (then `listened` resyncs everything).
        this.log.warn({ err: e }, 'cache invalidation: LISTEN failed; caches rely on their polls until it works');
        return null;
      });
    return this.listening.then(() => {});
  }

  /** Stops listening. Bounded: with the database gone, UNLISTEN would wait for a connection that never comes. */
  async close(): Promise<void> {
    const listening = this.listening;
    this.listening = null;
    this.subscribers.clear();
    if (!listening) return;
    let timer: NodeJS.Timeout | undefined;
    const bounded = new Promise<void>((r) => {
      timer = setTimeout(r, UNLISTEN_BOUND_MS);
    });
    await Promise.race([listening.then((l) => l?.unlisten()).catch(() => {}), bounded]);
    clearTimeout(timer);
  }

  private listened(): void {
    this.listens++;
    if (this.listens > 1) this.log.info({ listens: this.listens }, 'cache invalidation: listening again; catching up');
    for (const set of this.subscribers.values()) for (const s of set) this.safely(() => s.resync());
  }

  private heard(payload: string): void {
    this.notifications++;
    const inv = parseInvalidation(payload);
    if (!inv) {
      // Not a payload we know (a newer node's format?): dropping everything is always correct.
      this.log.warn({ payload: payload.slice(0, 200) }, 'cache invalidation: unknown payload; resyncing every cache');
      for (const set of this.subscribers.values()) for (const s of set) this.safely(() => s.changed(null));
      return;
    }
    for (const s of this.subscribers.get(inv.kind) ?? []) this.safely(() => s.changed(inv.ids));
  }

  /** A subscriber's failure must not stop the others (nor reach postgres.js's notification loop). */
  private safely(f: () => void): void {
    try {
      f();
    } catch (e) {
      this.log.error({ err: e }, 'cache invalidation: a subscriber failed');
    }
  }
}
