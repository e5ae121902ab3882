// One of WORKERS > 1 processes (docs/operations.md#worker-processes): it only serves. The primary migrated the
// database, seeds the demo catalog and prints the banner; a worker opens its own pools (attaching to the primary's
// embedded PostgreSQL through DATA_DIR when there is one), listens on the shared ports and tells the primary.
// Per-process parts stay per process and are correct so: the debit batcher, the catalog cache poll, the webhook
// dispatcher (deliveries are claimed with SKIP LOCKED); /metrics answers for the whole node (cluster-metrics.ts).
// On SIGTERM it drains like a single process (docs/operations.md#readiness-and-drain). Its handlers are installed
// once it serves: a signal while it starts ends it at once (the primary owns the migrations and the embedded
// PostgreSQL's lease, so nothing is left behind, and a node that is failing to start stops without waiting).

import type { Logger } from '../../kernel/logger.ts';
import { startService } from '../bootstrap.ts';
import type { Config } from '../config.ts';
import { catchSignals, startupReason } from '../lifecycle.ts';
import { workerMetricsExposition } from './cluster-metrics.ts';
import type { WorkerMessage } from './messages.ts';

const tell = (m: WorkerMessage) => new Promise<void>((resolve) => process.send?.(m, undefined, {}, () => resolve()));

export async function runWorker(config: Config, log: Logger): Promise<void> {
  try {
    const service = await startService(config, log, { migrate: false, metricsExposition: workerMetricsExposition });
    catchSignals(log).started(async () => {
      await service.stop();
      return 0;
    });
    await tell({ kc: 'ready', url: service.url, adminUrl: service.adminUrl });
  } catch (e) {
    // The primary puts the reason on stderr, once for the node rather than once per worker.
    const why = startupReason(e);
    log.fatal({ err: e instanceof Error ? e : undefined, reason: why }, 'start-up failed');
    await tell({ kc: 'failed', reason: why });
    process.exit(1);
  }
}
