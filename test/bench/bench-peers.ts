// The outside peers of `npm run bench`, each serving the same data as the API from the same machine:
// PostGraphile 5 (amber preset) for the GraphQL product read, and nginx for the image bytes.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startNode, waitFor } from './bench-proc.ts';

/**
 * The peer's whole schema: the product, hechsher and front-image columns the API's billed product query
 * returns, keyed by GTIN (a view gets its key from the smart tag). gtin stays char(14) so the lookup uses
 * the products primary key.
 */
export const PEER_SCHEMA_SQL = `
  drop schema if exists bench_peer cascade;
  create schema bench_peer;
  create view bench_peer.product as
    select p.gtin14 as gtin, p.barcode, p.brand, p.product_name, p.net_weight, p.bracha, p.hechshers,
           (select i.blob_key from public.product_images i where i.gtin14 = p.gtin14 and i.variant = 'front')
             as front_blob_key
    from public.products p;
  comment on view bench_peer.product is E'@primaryKey gtin';`;

export const PEER_QUERY =
  'query($gtin: String!){ productByGtin(gtin: $gtin){ barcode brand productName netWeight bracha hechshers frontBlobKey } }';

export interface Peer {
  name: string;
  url: string;
  pid: number;
  stop(): void;
}

/** PostGraphile as its users run it: plain JavaScript (postgraphile-peer.mjs) on plain `node`. */
export async function startPostgraphile(node: string, port: number, dbUrl: string): Promise<Peer> {
  const child = startNode(node, ['test/bench/postgraphile-peer.mjs', String(port), dbUrl], { NODE_ENV: 'production' });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    `${url}/graphql`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{__typename}"}',
    },
    child,
  );
  return { name: 'PostGraphile 5.1.5', url, pid: child.pid!, stop: () => child.kill('SIGTERM') };
}

export const NGINX = '/usr/sbin/nginx';

/**
 * nginx serving `image` for every path (sendfile, no access log), from a generated config in `dir`.
 * Null when nginx is not installed: the row then says so instead of failing the run.
 */
export async function startNginx(port: number, image: Buffer, dir: string): Promise<Peer | null> {
  if (!existsSync(NGINX)) return null;
  const www = path.join(dir, 'www');
  mkdirSync(www, { recursive: true });
  writeFileSync(path.join(www, 'bench.jpg'), image);
  // Workers run as nobody when the master is root: they must be able to reach the file (mkdtemp makes 0700).
  chmodSync(path.dirname(dir), 0o711);
  for (const d of [dir, www]) chmodSync(d, 0o755);
  chmodSync(path.join(www, 'bench.jpg'), 0o644);
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `daemon off;
worker_processes auto;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${www};
    location / { default_type image/jpeg; try_files /bench.jpg =404; }
  }
}
`,
  );
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-e', `${dir}/error.log`, '-c', conf], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child.unref();
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/x.jpg`, undefined, child);
  const probe = await fetch(`${url}/x.jpg`);
  const got = Buffer.from(await probe.arrayBuffer());
  if (probe.status !== 200 || !got.equals(image)) {
    child.kill('SIGTERM');
    throw new Error(`nginx peer: ${probe.status}, ${got.length} bytes instead of the image (${dir}/error.log)`);
  }
  return { name: 'nginx', url, pid: child.pid!, stop: () => child.kill('SIGTERM') };
}
