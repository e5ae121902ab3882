// Traces leave the process over OTLP (docs/operations.md#traces): a server started like `npm start` with
// OTEL_EXPORTER_OTLP_ENDPOINT posts the spans of a billed read (ours and, with Redis, ioredis's) to
// <endpoint>/v1/traces; the same server without it exports nothing, even with an SDK-only variable pointing
// at the receiver (tracing is off: no SDK is started).

import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, spawnServer, testSecrets } from '../../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { call } from '../../helpers/http.ts';
import { freePort } from '../../helpers/redis-server.ts';
import { seed } from '../../helpers/testkit.ts';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const TRACEPARENT = `00-${TRACE_ID}-b7ad6b7169203331-01`;

interface OtlpSpan {
  traceId: string;
  name: string;
}
const posts: { path: string; body: string }[] = [];
let receiver: http.Server;
let endpoint: string;
let db: TestDatabase;
let dataDir: string;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      posts.push({ path: req.url ?? '', body: Buffer.concat(chunks).toString() });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => receiver.listen(port, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${port}`;
  db = await createTestDatabase();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'kc-otlp-'));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  receiver?.close();
  await db?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('OTLP export from a server process', () => {
  it("on with OTEL_EXPORTER_OTLP_ENDPOINT (the billed read's trace arrives), off without it", async () => {
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      DEMO_PRODUCTS: '0',
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
      ...testSecrets(),
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process',
    };
    const [on, off] = await Promise.all([
      spawnServer({ ...env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'kc-otlp-test' }),
      // The SDK would honour this one; with OTEL_EXPORTER_OTLP_ENDPOINT unset no SDK runs to read it.
      spawnServer({ ...env, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${endpoint}/v1/traces` }),
    ]);
    servers.push(on, off);
    const client = await seed({ url: on.url, adminToken: env.ADMIN_TOKEN }).client({ credits: 100 });
    const b = (await seed({ sql: db.sql }).product({ meta: 'full', imageRows: ['front'] })).barcode;
    const query = 'query($b: Barcode!) { product(barcode: $b) { productMeta { brand } } }';
    for (const s of [on, off]) {
      const res = await call(s.url, '/graphql', {
        body: { query, variables: { b } },
        token: client.accessToken,
        headers: { traceparent: TRACEPARENT },
      });
      expect(res.status).toBe(200);
      expect(res.body.extensions.billing.creditsDebited).toBeGreaterThan(0);
    }
    // SIGTERM drains, then flushes the spans still batched (main.ts).
    await Promise.all([on.stop(), off.stop()]);

    expect(posts.length).toBeGreaterThan(0);
    expect(posts.every((p) => p.path === '/v1/traces')).toBe(true);
    const exported = posts.flatMap((p) => {
      const body = JSON.parse(p.body) as {
        resourceSpans: {
          resource: { attributes: { key: string; value: { stringValue?: string } }[] };
          scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[];
        }[];
      };
      return body.resourceSpans.flatMap((r) =>
        r.scopeSpans.flatMap((ss) =>
          ss.spans.map((s) => ({
            ...s,
            scope: ss.scope.name,
            service: r.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue,
          })),
        ),
      );
    });
    const ours = exported.filter((s) => s.traceId === TRACE_ID);
    expect(ours.map((s) => s.name)).toEqual(
      expect.arrayContaining(['POST /graphql', 'graphql.plan', 'paid_read', 'debit.batch', 'sql debitBatch']),
    );
    expect(new Set(ours.map((s) => s.service))).toEqual(new Set(['kc-otlp-test']));
    // Only the traced server's read: the other one's server span would be a second 'POST /graphql'.
    expect(ours.filter((s) => s.name === 'POST /graphql')).toHaveLength(1);
    // ioredis is instrumented through the ESM loader hook (the rate limit's script runs in the request).
    if (process.env.REDIS_URL)
      expect(ours.some((s) => s.scope === '@opentelemetry/instrumentation-ioredis')).toBe(true);
  });
});
