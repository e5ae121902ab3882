// The durable record of each shared store's generation (docs/durability.md#the-generation-mark). The store's
// own sentinel dies with its data; this one does not, so a node can tell a store that lost its data (a
// generation was recorded before) from a store seen for the first time, and the newest generation survives.
import type { Sql } from '../db/client.ts';

export interface GenerationLedger {
  /** The largest generation recorded for the store, or null when none ever was. */
  load(store: string): Promise<number | null>;
  /** Records a generation (keeps the largest); returns the largest recorded. */
  record(store: string, generationMs: number): Promise<number>;
}

export function pgGenerationLedger(sql: Sql): GenerationLedger {
  return {
    async load(store) {
      const rows = await sql<{ g: bigint }[]>`/* generationLoad */
        select generation_ms as g from shared_state_generations where store = ${store}`;
      return rows.length ? Number(rows[0].g) : null;
    },
    async record(store, generationMs) {
      const [r] = await sql<{ g: bigint }[]>`/* generationRecord */
        insert into shared_state_generations as t (store, generation_ms) values (${store}, ${generationMs})
        on conflict (store) do update set generation_ms = greatest(t.generation_ms, excluded.generation_ms),
          recorded_at = case when excluded.generation_ms > t.generation_ms then now() else t.recorded_at end
        returning generation_ms as g`;
      return Number(r.g);
    },
  };
}

/** For tools and tests without a database: remembers generations for this process only. */
export function processGenerationLedger(): GenerationLedger {
  const m = new Map<string, number>();
  return {
    async load(store) {
      return m.get(store) ?? null;
    },
    async record(store, generationMs) {
      const g = Math.max(m.get(store) ?? generationMs, generationMs);
      m.set(store, g);
      return g;
    },
  };
}
