// Listening sockets: plain HTTP, or HTTPS with TLS 1.3 only (plus an optional plain port that only 301s).
// Graceful close: stop accepting, let in-flight requests finish (bounded by a grace period), then return.

import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { HttpConfig } from './http.config.ts';

export interface Listening {
  port: number;
  url: string;
  close(graceMs: number): Promise<void>;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

export async function listen(
  config: Pick<HttpConfig, 'host' | 'port' | 'tls' | 'redirectPort'>,
  handler: Handler,
): Promise<Listening> {
  const tls = config.tls;
  const opts: http.ServerOptions = {
    keepAliveTimeout: 65_000,
    headersTimeout: 20_000,
    requestTimeout: 30_000,
    maxHeaderSize: 16 * 1024,
  };
  const server = tls
    ? https.createServer(
        {
          ...opts,
          cert: readFileSync(tls.certFile),
          key: readFileSync(tls.keyFile),
          minVersion: 'TLSv1.3',
          maxVersion: 'TLSv1.3',
        },
        handler,
      )
    : http.createServer(opts, handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  let redirect: http.Server | null = null;
  if (tls && config.redirectPort !== undefined) {
    redirect = http.createServer((req, res) => {
      const hostHeader = (req.headers.host ?? `${host}`).replace(/:\d+$/, '');
      res.writeHead(301, {
        Location: `https://${hostHeader}${port === 443 ? '' : `:${port}`}${req.url ?? '/'}`,
        'Content-Length': '0',
      });
      res.end();
    });
    await new Promise<void>((resolve) => redirect!.listen(config.redirectPort, config.host, () => resolve()));
  }

  return {
    port,
    url: `${tls ? 'https' : 'http'}://${host}:${port}`,
    async close(graceMs: number) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      redirect?.close();
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
    },
  };
}
