// Process entry: config -> logger -> one of three process roles (docs/operations.md#worker-processes):
// WORKERS=1 a single process that does everything (src/main/single-process.ts); WORKERS>1 a primary that migrates,
// seeds and supervises (src/main/cluster/supervisor.ts) and N workers that serve the shared ports (src/main/cluster/worker.ts).
import cluster from 'node:cluster';
import { loadConfig, ConfigError } from './config.ts';
import { createLogger } from '../kernel/logger.ts';
import { setHeapGrowth } from '../kernel/heap-growth.ts';
import { runSingleProcess } from './single-process.ts';
import { runPrimary } from './cluster/supervisor.ts';
import { runWorker } from './cluster/worker.ts';

let config;
try {
  config = loadConfig();
} catch (e) {
  process.stderr.write(e instanceof ConfigError ? `${e.message}\n` : `configuration error: ${(e as Error).message}\n`);
  process.exit(1);
}
// Before the app allocates anything lasting (docs/operations.md#memory).
setHeapGrowth(config.HEAP_GROWING_PERCENT);

const clustered = config.WORKERS > 1;
const log = createLogger(config.LOG_LEVEL, {
  pretty: config.LOG_FORMAT === 'pretty' || (config.LOG_FORMAT === 'auto' && !!process.stdout.isTTY),
  worker: clustered ? (cluster.worker?.id ?? 0) : undefined,
});

if (clustered && !config.REDIS_URL) {
  // Rate limits, one-shot image URLs and revocations must be shared by every process; the in-process stand-in
  // cannot be (docs/operations.md#shared-state). Refused in every NODE_ENV.
  process.stderr.write(
    `start-up failed: WORKERS=${config.WORKERS} needs REDIS_URL: the in-process shared state (rate limits, one-shot ` +
      `image URLs, revocations) cannot be shared between processes; set REDIS_URL or WORKERS=1\n`,
    () => process.exit(1),
  );
} else {
  if (cluster.isPrimary && config.generatedSecrets.length)
    log.warn(
      { secrets: config.generatedSecrets, file: config.devKeysFile },
      'development keys from DATA_DIR (kept across restarts); production requires them set explicitly',
    );
  if (config.NODE_ENV === 'production' && !config.REDIS_URL)
    log.warn(
      'no REDIS_URL: rate limits, one-shot image URLs and revocations live in this process only; run exactly one ' +
        'process, or set REDIS_URL (docs/operations.md#shared-state)',
    );
  if (!clustered) await runSingleProcess(config, log);
  else if (cluster.isPrimary) await runPrimary(config, log);
  else await runWorker(config, log);
}
