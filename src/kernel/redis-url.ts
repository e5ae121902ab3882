// REDIS_URL in its two forms (docs/operations.md#shared-state): one Redis, `redis://` or `rediss://` (anything
// ioredis takes), or a Redis Cluster, `redis+cluster://[user:password@]host:port,host:port,...` (`rediss+cluster`
// for TLS). The cluster form lists seed nodes: the client learns every master and slot from any one of them,
// so listing more than one only matters while some are down. Parsed here so that config.ts can refuse a bad
// value at start-up with the same rules the shared store connects with.

interface RedisClusterTarget {
  kind: 'cluster';
  nodes: { host: string; port: number }[];
  username?: string;
  password?: string;
  tls: boolean;
}

export type RedisTarget = { kind: 'single'; url: string } | RedisClusterTarget;

const CLUSTER_SCHEME = /^(rediss?)\+cluster:\/\/(.*)$/i;
const NODE = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/;

/** Throws an Error whose message says what is wrong and what the form is. */
export function parseRedisUrl(raw: string): RedisTarget {
  const m = CLUSTER_SCHEME.exec(raw.trim());
  if (!m) {
    try {
      new URL(raw);
    } catch {
      throw new Error(
        'not a URL: use redis://host:port for one Redis or redis+cluster://host:port,host:port for a Redis Cluster',
      );
    }
    return { kind: 'single', url: raw };
  }
  let rest = m[2];
  // Seed nodes only: a database number or options would be ignored by a cluster, so they are refused.
  if (rest.endsWith('/')) rest = rest.slice(0, -1);
  if (/[/?#]/.test(rest))
    throw new Error('a redis+cluster URL takes no path, database or options: redis+cluster://host:port,host:port');
  let username: string | undefined;
  let password: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const info = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = info.indexOf(':');
    username = decodeURIComponent(colon >= 0 ? info.slice(0, colon) : info) || undefined;
    password = colon >= 0 ? decodeURIComponent(info.slice(colon + 1)) || undefined : undefined;
  }
  const nodes = rest.split(',').map((part) => {
    const n = NODE.exec(part.trim());
    const port = n ? Number(n[3]) : 0;
    if (!n || port < 1 || port > 65535)
      throw new Error(`a redis+cluster URL lists host:port seed nodes separated by commas; "${part}" is not one`);
    return { host: n[1] ?? n[2], port };
  });
  return { kind: 'cluster', nodes, username, password, tls: m[1].toLowerCase() === 'rediss' };
}
