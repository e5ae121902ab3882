// Listening sockets: plain HTTP, or HTTPS with TLS 1.3 only (plus an optional plain port that only 301s).
// Graceful close: stop accepting, let in-flight requests finish (bounded by a grace period), then return.

import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { newUlid } from '../../kernel/ids.ts';
import type { HttpConfig } from './http.config.ts';
import { MAX_QUERY_BYTES } from './query.ts';

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
  server.on('clientError', answerClientError);
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

/** Node's own answers to a request its parser refused (what it sends when nobody listens to `clientError`). */
const PARSER_ANSWERS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: '413 Payload Too Large',
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
};

/**
 * A request the HTTP parser refused before the pipeline saw it. Node's answer, except for a request line longer
 * than the header limit (a 1 MB query string): that is `414 uri_too_long` with the error body, as a shorter long
 * query gets from the pipeline (docs/limits.md#request-size-limits).
 */
function answerClientError(err: Error & { code?: string; rawPacket?: Buffer }, socket: Duplex): void {
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    socket.write(
      isLongRequestLine(err)
        ? uriTooLong()
        : `HTTP/1.1 ${PARSER_ANSWERS[err.code ?? ''] ?? '400 Bad Request'}\r\nConnection: close\r\n\r\n`,
    );
  }
  socket.destroy(err);
}

/** The header section overflowed within its first line, and that line is longer than any query we read. */
function isLongRequestLine(err: { code?: string; rawPacket?: Buffer }): boolean {
  const p = err.rawPacket;
  if (err.code !== 'HPE_HEADER_OVERFLOW' || !p || !/^[A-Z]+ \//.test(p.subarray(0, 16).toString('latin1'))) {
    return false;
  }
  const eol = p.indexOf(10);
  return (eol < 0 ? p.length : eol) > MAX_QUERY_BYTES;
}

function uriTooLong(): string {
  const id = `req_${newUlid()}`;
  const body = JSON.stringify({
    error: 'uri_too_long',
    message: `The request URL is over ${MAX_QUERY_BYTES} bytes.`,
    request_id: id,
  });
  return [
    'HTTP/1.1 414 URI Too Long',
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Request-ID: ${id}`,
    'X-Credits-Debited: 0',
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}
