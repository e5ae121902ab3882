// The sandbox module (docs/test-mode.md): the fixed catalog test clients read, about 50 products with real images
// stamped "TEST", among them the documentation's sample barcode 017000161563. It is seeded once, when the first
// test client is created (or at a development start), and operators can change one of its products to exercise
// test clients' webhooks.
import { AppError } from '../../kernel/errors.ts';
import type { Logger } from '../../kernel/logger.ts';
import type { BlobStore } from '../../platform/blobs/blob-store.ts';
import type { Sql } from '../../platform/db/client.ts';
import type { Module } from '../../platform/module.ts';
import { type CatalogCache, parseBarcode } from '../catalog/index.ts';
import { seedCatalog } from '../seed/index.ts';
import { sandboxChangeRoutes } from './admin-sandbox.routes.ts';
import { changeSandboxProduct, type SandboxChange, sandboxSize } from './sandbox.repository.ts';

/** The documentation's sample barcode: in the sandbox and in the demo catalog of `npm start`. */
export const SAMPLE_BARCODE = '017000161563';
const SANDBOX_PRODUCTS = 50;
const SANDBOX_SEED = 'sandbox';

export interface SandboxModule extends Module {
  /** Seeds the sandbox unless it is already there; concurrent callers (and nodes) share one seeding. */
  ensureSeeded(): Promise<void>;
  /** The sandbox's catalog cache, seeded on first use: what test clients' paid reads look up. */
  catalog: Pick<CatalogCache, 'load'>;
  /** Changes one sandbox product (the given barcode, else the least recently changed one). */
  change(barcode?: string): Promise<SandboxChange>;
}

/** Seeds the sandbox catalog unless it is already there (deterministic: running it twice changes nothing). */
export async function seedSandbox(deps: { sandboxSql: Sql; blobs: BlobStore; log: Logger }): Promise<void> {
  const { sandboxSql: sql, blobs, log } = deps;
  if ((await sandboxSize(sql)) > 0) return;
  const t0 = Date.now();
  // Deterministic upserts: two nodes seeding at once write the same rows (the second finds them unchanged).
  await seedCatalog(sql, blobs, {
    products: SANDBOX_PRODUCTS,
    seed: SANDBOX_SEED,
    generator: { barcodes: [SAMPLE_BARCODE], stamp: 'TEST' },
  });
  log.info({ products: SANDBOX_PRODUCTS, ms: Date.now() - t0 }, 'sandbox catalog seeded');
}

export function createSandboxModule(deps: {
  sandboxSql: Sql;
  blobs: BlobStore;
  log: Logger;
  /** The catalog module's cache over the sandbox pool. */
  cache: CatalogCache;
}): SandboxModule {
  const sql = deps.sandboxSql;
  let seeded: Promise<void> | null = null;
  const seed = () => seedSandbox(deps);
  const module: SandboxModule = {
    name: 'sandbox',
    ensureSeeded() {
      // A failed seeding is not remembered: the next caller tries again.
      seeded ??= seed().catch((e) => {
        seeded = null;
        throw e;
      });
      return seeded;
    },
    catalog: {
      load: async (gtins) => {
        await module.ensureSeeded();
        return deps.cache.load(gtins);
      },
    },
    async change(barcode) {
      await module.ensureSeeded();
      let gtin14: string | null = null;
      if (barcode !== undefined) {
        const parsed = parseBarcode(barcode);
        if (!parsed.ok) throw new AppError('invalid_barcode', 'A barcode is 8 to 14 digits with a valid check digit.');
        gtin14 = parsed.gtin14;
      }
      const changed = await changeSandboxProduct(sql, gtin14, new Date().toISOString());
      if (!changed) throw new AppError('not_found', 'No sandbox product with that barcode.');
      return changed;
    },
  };
  module.adminRoutes = sandboxChangeRoutes(module);
  return module;
}
