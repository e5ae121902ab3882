// /metrics with WORKERS > 1 (docs/operations.md#metrics): a scrape lands on one worker, but should count the whole
// node. prom-client's AggregatorRegistry does the summing in the primary: it asks every worker for its registry over
// the cluster channel and adds them up (gauges read from the shared database are taken once, see Metrics.sampled).
// The worker that received the scrape asks the primary for that sum and answers with it.
import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { MetricsExposition } from '../../platform/metrics/metrics.ts';
import { isWorkerMessage, type PrimaryMessage, type WorkerMessage } from './messages.ts';

/** Longer than AggregatorRegistry's own 5 s limit for a silent worker, so its error is the one reported. */
const ANSWER_TIMEOUT_MS = 7000;

/** Worker side: report this registry to the primary's aggregation, and answer scrapes with the node's sum. */
export const workerMetricsExposition: MetricsExposition = (own: Registry) => {
  new AggregatorRegistry(); // installs prom-client's worker-side listener
  AggregatorRegistry.setRegistries([own]);
  let next = 0;
  const waiting = new Map<number, { resolve: (t: string) => void; reject: (e: Error) => void }>();
  process.on('message', (m: PrimaryMessage) => {
    if (m?.kc !== 'metrics') return;
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.text !== undefined) w.resolve(m.text);
    else w.reject(new Error(`metrics of the other workers: ${m.error ?? 'no answer'}`));
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = next++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error('metrics of the other workers: the primary did not answer'));
      }, ANSWER_TIMEOUT_MS);
      waiting.set(id, {
        resolve: (t) => {
          clearTimeout(timer);
          resolve(t);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      process.send?.({ kc: 'metrics', id } satisfies WorkerMessage);
    });
};

/** Primary side: answer a worker's request for the node's metrics. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, m: unknown) => {
    if (!isWorkerMessage(m) || m.kc !== 'metrics') return;
    aggregator.clusterMetrics().then(
      (text) => worker.isConnected() && worker.send({ kc: 'metrics', id: m.id, text } satisfies PrimaryMessage),
      (e: Error) =>
        worker.isConnected() && worker.send({ kc: 'metrics', id: m.id, error: e.message } satisfies PrimaryMessage),
    );
  });
}
