// A nightly `updated_since` sync (ordered by updated_at, barcode, paged by cursor) while products are
// inserted and updated concurrently, including transactions that started before the sync and commit during
// it: within one sync no product repeats; across consecutive syncs (each starting at the previous
// `sync_until`) no product and no update is ever skipped.

import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProductInput } from '../../../src/modules/catalog/product.types.ts';
import { upsertProducts } from '../../../src/modules/catalog/product-write.repository.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { useStrictOpenApi } from '../../helpers/openapi.ts';
import { productInput, seed, tag } from '../../helpers/testkit.ts';

interface Seen {
  barcode: string;
  updated_at: string;
}

// Every response these tests see must match schema/openapi.yaml.
useStrictOpenApi();

describe('updated_since sync under concurrent writes', () => {
  let app: TestApp;
  let token: string;
  beforeAll(async () => {
    app = await startTestApp();
    token = (await seed(app).client({ tier: 'enterprise' })).accessToken;
  });
  afterAll(async () => {
    await app.close();
  });

  async function sync(
    brand: string,
    since: string,
    pause: number,
    between: (page: number) => Promise<void> = async () => {},
  ): Promise<{ items: Seen[]; until: string }> {
    const items: Seen[] = [];
    let cursor: string | null = null;
    let until = '';
    let page = 0;
    do {
      await between(page++);
      const qs = `?brand=${encodeURIComponent(brand)}&updated_since=${encodeURIComponent(since)}&per_page=7${cursor ? `&cursor=${cursor}` : ''}`;
      const r = await call(app.url, `/api/v1/products${qs}`, { token });
      expect(r.status).toBe(200);
      expect(r.body.page_info.order).toBe('updated_at');
      items.push(...r.body.items.map((i: Seen) => ({ barcode: i.barcode, updated_at: i.updated_at })));
      until = r.body.sync_until;
      cursor = r.body.page_info.next_cursor;
      await sleep(pause);
    } while (cursor);
    return { items, until };
  }

  it('never skips or repeats a product while rows are inserted and updated', async () => {
    const brand = `Sync ${tag()}`;
    const catalog: ProductInput[] = Array.from({ length: 60 }, () => productInput({ brand }));
    await seed(app).products(catalog);
    await sleep(600);

    // Writers that started before the sync and commit in the middle of it (their rows carry their start time).
    const slowUpdate = app.db.sql.begin(async (tx) => {
      await upsertProducts(tx, [{ ...catalog[5], product_name: 'updated in a slow transaction' }]);
      await sleep(2000);
    });
    const slowInsert = app.db.sql.begin(async (tx) => {
      const p = productInput({ brand });
      catalog.push(p);
      await upsertProducts(tx, [p]);
      await sleep(2000);
    });
    // Older than the listing's 0.5 s margin when the sync starts: only the open-transaction bound keeps them.
    await sleep(800);

    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        const n = written;
        if (n % 2 === 0) {
          const p = productInput({ brand });
          catalog.push(p);
          await upsertProducts(app.db.sql, [p]);
        } else {
          // Never the row the slow update holds (index 5): the writer would wait out its transaction.
          const i = (n * 7) % catalog.length;
          const victim = catalog[i === 5 ? 6 : i];
          await upsertProducts(app.db.sql, [{ ...victim, product_name: `${victim.product_name} v${n}` }]);
        }
        written++;
        await sleep(25);
      }
      return written;
    })();

    // Every page waits for two more writes (bounded), so writes land between pages however fast either side runs.
    const first = await sync(brand, '2000-01-01', 60, async (page) => {
      for (let i = 0; i < 300 && written < page * 2; i++) await sleep(10);
    });
    writing = false;
    const writes = await writer;
    await Promise.all([slowUpdate, slowInsert]);
    expect(writes).toBeGreaterThan(10);
    await sleep(600);
    const second = await sync(brand, first.until, 0);
    await sleep(600);
    const third = await sync(brand, second.until, 0);

    for (const s of [first, second]) {
      const ids = s.items.map((i) => i.barcode);
      expect(new Set(ids).size, 'no product repeats within one sync').toBe(ids.length);
    }
    expect(third.items).toEqual([]);
    expect(second.until >= first.until).toBe(true);

    // The client's replica after both syncs equals the catalog: every product, at its latest version.
    const replica = new Map<string, string>();
    for (const i of [...first.items, ...second.items]) replica.set(i.barcode, i.updated_at);
    const truth = await app.db.sql<{ barcode: string; updated_at: Date }[]>`
      select barcode, updated_at from products where brand = ${brand}`;
    expect(truth.length).toBe(catalog.length);
    expect(replica.size).toBe(truth.length);
    for (const t of truth) expect(replica.get(t.barcode), t.barcode).toBe(t.updated_at.toISOString());
    // The slow update was committed after the first sync had passed its position: the second sync has it.
    expect(second.items.map((i) => i.barcode)).toContain(catalog[5].barcode);
  });
});
