// A TCP proxy between the API and PostgreSQL that counts what the API asks of the database: statements (each
// extended-protocol Sync or simple Query message is one) and bytes each way. The capacity measurement
// (capacity.bench.ts) divides them by the requests served, so "database round trips per request" is counted on
// the wire, not estimated. Frontend messages are a type byte and an int32 length (the startup packet has no type
// byte); the proxy parses only those frames and forwards every byte unchanged.
import net from 'node:net';

export interface PgCounts {
  statements: number;
  bytesToServer: number;
  bytesFromServer: number;
}

export interface PgCountProxy {
  port: number;
  counts: PgCounts;
  close(): Promise<void>;
}

export async function startPgCountProxy(target: { host: string; port: number }): Promise<PgCountProxy> {
  const counts: PgCounts = { statements: 0, bytesToServer: 0, bytesFromServer: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    let started = false;
    let pending: Buffer = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      counts.bytesToServer += chunk.length;
      upstream.write(chunk);
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      for (;;) {
        if (!started) {
          if (pending.length < 8) break;
          const len = pending.readInt32BE(0);
          if (pending.length < len) break;
          // SSLRequest / GSSENCRequest (code 80877103 / 80877104) are answered with one byte before the startup.
          const code = pending.readInt32BE(4);
          if (code !== 80877103 && code !== 80877104) started = true;
          pending = pending.subarray(len);
          continue;
        }
        if (pending.length < 5) break;
        const len = pending.readInt32BE(1);
        if (pending.length < 1 + len) break;
        const type = String.fromCharCode(pending[0]);
        if (type === 'S' || type === 'Q') counts.statements++;
        pending = pending.subarray(1 + len);
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      counts.bytesFromServer += chunk.length;
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
