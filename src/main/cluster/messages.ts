// The few messages between the primary and its workers over the cluster IPC channel. Tagged with `kc` so they
// never collide with node:cluster's or prom-client's own messages on the same channel.
export type WorkerMessage =
  /** Listening on every configured port (public, admin, redirect). */
  | { kc: 'ready'; url: string; adminUrl: string }
  /** Could not start (the one-line reason); the worker exits 1 after sending it. */
  | { kc: 'failed'; reason: string }
  /** A scrape of /metrics reached this worker: the primary answers with the sum over all workers. */
  | { kc: 'metrics'; id: number };

export type PrimaryMessage = { kc: 'metrics'; id: number; text?: string; error?: string };

export function isWorkerMessage(m: unknown): m is WorkerMessage {
  return typeof m === 'object' && m !== null && typeof (m as { kc?: unknown }).kc === 'string';
}
