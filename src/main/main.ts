// Process entry: config -> logger -> one of three process roles (docs/operations.md#worker-processes):
// WORKERS=1 a single process that does everything (src/main/single-process.ts); WORKERS>1 a primary that migrates,
// seeds and supervises (src/main/cluster/supervisor.ts) and N workers that serve the shared ports (src/main/cluster/worker.ts).
import cluster from 'node:cluster';
import { setHeapGrowth } from '../kernel/heap-growth.ts';
import { createLogger } from '../kernel/logger.ts';
import { runPrimary } from './cluster/supervisor.ts';
import { runWorker } from './cluster/worker.ts';
import { type Config, ConfigError } from './config.ts';
import { type DevKeys, loadConfigWithDevKeys } from './dev-keys.ts';
import { runSingleProcess } from './single-process.ts';

let config: Config;
let devKeys: DevKeys;
try {
  ({ config, devKeys } = loadConfigWithDevKeys());
} catch (e) {
  process.stderr.write(e instanceof ConfigError ? `${e.message}\n` : `configuration error: ${(e as Error).message}\n`);
  process.exit(1);
}
// Before the app allocates anything lasting (docs/operations.md#memory).
setHeapGrowth(config.process.heapGrowingPercent);

const clustered = config.process.workers > 1;
const log = createLogger(config.log.level, {
  pretty: config.log.format === 'pretty' || (config.log.format === 'auto' && !!process.stdout.isTTY),
  worker: clustered ? (cluster.worker?.id ?? 0) : undefined,
});

if (clustered && !config.sharedState.redisUrl) {
  // Rate limits, one-shot image URLs and revocations must be shared by every process; the in-process stand-in
  // cannot be (docs/operations.md#shared-state). Refused in every NODE_ENV.
  process.stderr.write(
    `start-up failed: WORKERS=${config.process.workers} needs REDIS_URL: the in-process shared state (rate limits, one-shot ` +
      `image URLs, revocations) cannot be shared between processes; set REDIS_URL or WORKERS=1\n`,
    () => process.exit(1),
  );
} else {
  if (cluster.isPrimary && devKeys.generated.length)
    log.warn(
      { secrets: devKeys.generated, file: devKeys.file },
      'development keys from DATA_DIR (kept across restarts); production requires them set explicitly',
    );
  if (config.production && !config.sharedState.redisUrl)
    log.warn(
      'no REDIS_URL: rate limits, one-shot image URLs and revocations live in this process only; run exactly one ' +
        'process, or set REDIS_URL (docs/operations.md#shared-state)',
    );
  if (!clustered) await runSingleProcess(config, log, devKeys);
  else if (cluster.isPrimary) await runPrimary(config, log, devKeys);
  else await runWorker(config, log);
}
