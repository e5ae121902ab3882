// Listening sockets: plain HTTP, or HTTPS with TLS 1.3 only (plus an optional plain port that only 301s).
// Graceful close: stop accepting, let in-flight requests finish (bounded by a grace period), then return.
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Config } from '../../main/config.ts';

export interface Listening {
  port: number;
  url: string;
  close(graceMs: number): Promise<void>;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

export async function listen(
  config: Pick<Config, 'HOST' | 'PORT' | 'TLS_CERT_FILE' | 'TLS_KEY_FILE' | 'HTTP_REDIRECT_PORT'>,
  handler: Handler,
): Promise<Listening> {
  const tls = !!(config.TLS_CERT_FILE && config.TLS_KEY_FILE);
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
          cert: readFileSync(config.TLS_CERT_FILE!),
          key: readFileSync(config.TLS_KEY_FILE!),
          minVersion: 'TLSv1.3',
          maxVersion: 'TLSv1.3',
        },
        handler,
      )
    : http.createServer(opts, handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;

  let redirect: http.Server | null = null;
  if (tls && config.HTTP_REDIRECT_PORT !== undefined) {
    redirect = http.createServer((req, res) => {
      const hostHeader = (req.headers.host ?? `${host}`).replace(/:\d+$/, '');
      res.writeHead(301, {
        Location: `https://${hostHeader}${port === 443 ? '' : `:${port}`}${req.url ?? '/'}`,
        'Content-Length': '0',
      });
      res.end();
    });
    await new Promise<void>((resolve) => redirect!.listen(config.HTTP_REDIRECT_PORT, config.HOST, () => resolve()));
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
